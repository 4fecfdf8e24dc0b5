// One quiet line of a conversation's activity (UI.md): icon, sentence, time.
import { Archive, ArchiveRestore, BellOff, Bell, Eye, GitMerge, Receipt, Tag, UserMinus, UserPlus, type LucideIcon } from 'lucide-react';
import { useMemo } from 'react';
import type { ConversationDetail, Pending } from '../../../../shared/bridge';
import type { Activity, ActivityKind } from '../../../../shared/schema';
import { activityText, type ActivityNames } from '../../lib/activity';
import { useDirectory, useSession } from '../../lib/directory';
import { cardTime, exactTime } from '../../lib/format';
import { useBridgeQuery } from '../../lib/queries';
import { format } from 'date-fns';

const ICONS: Record<ActivityKind, LucideIcon> = {
  assigned: UserPlus,
  unassigned: UserMinus,
  visibility: Eye,
  archived: Archive,
  unarchived: ArchiveRestore,
  snoozed: BellOff,
  unsnoozed: Bell,
  woke: Bell,
  labelled: Tag,
  unlabelled: Tag,
  invoiceSent: Receipt,
  invoicePaid: Receipt,
  invoiceVoided: Receipt,
  merged: GitMerge,
};

export function ActivityLine({ activity, detail }: { activity: Pending<Activity>; detail: ConversationDetail }) {
  const dir = useDirectory();
  const session = useSession();
  const labels = useBridgeQuery('labels', {}).data;
  const names: ActivityNames = useMemo(
    () => ({
      me: session?.userId ?? null,
      user: dir.userName,
      label: (id) => labels?.find((l) => l.id === id)?.name ?? 'a deleted label',
      invoice: (id) => detail.invoices.find((i) => i.id === id)?.number ?? '',
      until: (ms) => cardTime(ms),
    }),
    [dir, session, labels, detail.invoices],
  );
  const Icon = ICONS[activity.kind];
  return (
    <div className={`activity-line${activity.pending ? ' pending' : ''}`} data-activity={activity.kind}>
      <Icon size={13} aria-hidden="true" />
      <span>{activityText(activity, names)}</span>
      <time dateTime={new Date(activity.at).toISOString()} title={exactTime(activity.at)}>
        · {format(activity.at, 'HH:mm')}
      </time>
    </div>
  );
}
