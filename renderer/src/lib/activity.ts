// How a conversation's activity line reads ("Amira assigned Ben", "Ben restricted visibility to
// Ben, Carol", "Assigned to Ben automatically"). Pure, so it is tested without a browser.
import type { Activity } from '../../../shared/schema';

export interface ActivityNames {
  /** the viewer: "You" instead of their name */
  me: string | null;
  user(id: string): string;
  label(id: string): string;
  invoice(id: string): string;
  until(ms: number): string;
}

const list = (names: string[]): string => (names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`);

export function activityText(a: Pick<Activity, 'kind' | 'actorId' | 'details'>, n: ActivityNames): string {
  const d = a.details;
  // "You assigned yourself", "Ben assigned himself" reads oddly gendered: "Ben assigned themselves"
  const person = (id: string) => (id === a.actorId && a.kind !== 'visibility' ? (id === n.me ? 'yourself' : 'themselves') : id === n.me ? 'you' : n.user(id));
  const people = (ids: readonly string[] | undefined) => list((ids ?? []).map(person));
  const auto = d.auto === true || a.actorId === null;
  const who = a.actorId === null ? '' : a.actorId === n.me ? 'You' : n.user(a.actorId);
  const invoice = d.invoiceId ? n.invoice(d.invoiceId) : 'An invoice';
  switch (a.kind) {
    case 'assigned':
      return auto ? `Assigned to ${people(d.userIds)} automatically` : `${who} assigned ${people(d.userIds)}`;
    case 'unassigned':
      return auto ? `${people(d.userIds)} unassigned automatically` : `${who} unassigned ${people(d.userIds)}`;
    case 'visibility':
      if (d.visibleTo === null || d.visibleTo === undefined) return `${who} made it visible to everyone in the team`;
      return `${who} restricted visibility to ${people(d.visibleTo)}`;
    case 'archived':
      return d.mergedId ? `Archived when its contact was merged${who ? ` by ${who === 'You' ? 'you' : who}` : ''}` : `${who} archived the conversation`;
    case 'unarchived':
      return `${who} reopened the conversation`;
    case 'snoozed':
      return d.until ? `${who} snoozed it until ${n.until(d.until)}` : `${who} snoozed it until the contact replies`;
    case 'unsnoozed':
      return `${who} unsnoozed it`;
    case 'woke':
      return 'Snooze ended';
    case 'labelled':
      return `${who} added the label ${d.labelId ? n.label(d.labelId) : ''}`.trimEnd();
    case 'unlabelled':
      return `${who} removed the label ${d.labelId ? n.label(d.labelId) : ''}`.trimEnd();
    case 'invoiceSent':
      return `${who} sent invoice ${invoice}`;
    case 'invoicePaid':
      return auto ? `Invoice ${invoice} was paid` : `${who} marked invoice ${invoice} paid`;
    case 'invoiceVoided':
      return auto ? `Invoice ${invoice} was refunded and voided` : `${who} voided invoice ${invoice}`;
    case 'merged':
      return `${who || 'Parley'} merged another conversation with this contact into this one`;
  }
}
