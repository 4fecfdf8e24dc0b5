// Filters above the list: label, assignee (incl. Unassigned), channel, unread, and the order
// (newest activity, or the first-response SLA's most urgent first); "Save view"
// keeps them as a personal view in the sidebar. Groups and status are the sidebar's views.
import clsx from 'clsx';
import { Bookmark, BookmarkX, MailOpen, Timer, X } from 'lucide-react';
import { mutate } from '../../lib/mutate';
import { useShallow } from 'zustand/react/shallow';
import { canSeeConversation, sessionViewer } from '../../../../shared/permissions';
import { useDirectory } from '../../lib/directory';
import { useBridgeQuery } from '../../lib/queries';
import { activeFilterCount, useFilters, type ListFilters } from '../../state/filters';
import { useUi } from '../../state/ui';
import type { ConversationViewName } from '../../../../shared/bridge';

export function FilterBar({ unreadFilter, groupId, inbox }: { unreadFilter: boolean; groupId: string | null; inbox: ConversationViewName }) {
  const { filters, setFilters, clear, savedViewId } = useFilters(useShallow((s) => ({ filters: s.filters, setFilters: s.setFilters, clear: s.clear, savedViewId: s.savedViewId })));
  const labels = useBridgeQuery('labels', {}).data ?? [];
  const session = useBridgeQuery('session', {}).data;
  const dir = useDirectory();
  const openDialog = useUi((s) => s.openDialog);
  // people who could be assigned here: members of the group (or of any group), and admins
  const group = groupId ?? filters.groupId ?? null;
  const people = dir.users.filter((u) => u.active && (!group || canSeeConversation(sessionViewer({ userId: u.id, role: u.role }, dir.memberships), { groupId: group, visibleTo: null })));
  const set = (f: Partial<ListFilters>) => setFilters(f);
  const n = activeFilterCount(filters);
  return (
    <div className="filter-bar" role="toolbar" aria-label="Filters">
      <select aria-label="Label" className={clsx(filters.labelId && 'on')} value={filters.labelId ?? ''} onChange={(e) => set({ labelId: e.target.value || undefined })}>
        <option value="">Any label</option>
        {labels.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
      <select aria-label="Assignee" className={clsx(filters.assignee && 'on')} value={filters.assignee ?? ''} onChange={(e) => set({ assignee: e.target.value || undefined })}>
        <option value="">Anyone</option>
        <option value="unassigned">Unassigned</option>
        {session && <option value={session.userId}>Me</option>}
        {people
          .filter((u) => u.id !== session?.userId)
          .map((u) => (
            <option key={u.id} value={u.id}>
              {u.name}
            </option>
          ))}
      </select>
      <select aria-label="Channel" className={clsx(filters.channel && 'on')} value={filters.channel ?? ''} onChange={(e) => set({ channel: (e.target.value || undefined) as ListFilters['channel'] })}>
        <option value="">Any channel</option>
        <option value="sms">SMS</option>
        <option value="whatsapp">WhatsApp</option>
      </select>
      {inbox !== 'mine' && (
        <select aria-label="Status" value={inbox} onChange={(e) => useFilters.getState().setStatus(e.target.value as 'team' | 'snoozed' | 'archived')}>
          <option value="team">Open</option>
          <option value="snoozed">Snoozed</option>
          <option value="archived">Archived</option>
        </select>
      )}
      {!groupId && dir.groups.length > 1 && (
        <select aria-label="Group" className={clsx(filters.groupId && 'on')} value={filters.groupId ?? ''} onChange={(e) => set({ groupId: e.target.value || undefined })}>
          <option value="">Any group</option>
          {dir.groups.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
      )}
      {inbox !== 'archived' && (
        <button
          type="button"
          className="icon-btn"
          aria-label="SLA: most urgent first"
          aria-pressed={filters.sort === 'sla'}
          onClick={() => set({ sort: filters.sort === 'sla' ? undefined : 'sla' })}
          title={filters.sort === 'sla' ? 'Sorted by first-response deadline, most urgent first (click for newest activity)' : 'Sort by first-response deadline: most urgent first'}
        >
          <Timer size={15} />
        </button>
      )}
      {unreadFilter && (
        <button type="button" className="icon-btn" aria-label="Unread only" aria-pressed={!!filters.unreadOnly} onClick={() => set({ unreadOnly: !filters.unreadOnly || undefined })} title="Show only unread conversations">
          <MailOpen size={15} />
        </button>
      )}
      <span className="grow" />
      {savedViewId && (
        <button
          type="button"
          className="icon-btn"
          onClick={() => {
            const id = savedViewId;
            clear();
            void mutate('deleteView', { id });
          }}
          aria-label="Delete this view"
          title="Delete this saved view"
        >
          <BookmarkX size={15} />
        </button>
      )}
      {n > 0 && (
        <>
          <button type="button" className="icon-btn" onClick={clear} aria-label="Clear filters" title="Clear filters">
            <X size={15} />
          </button>
          {!savedViewId && (
            <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'save-view' })} aria-label="Save view" title="Save these filters as a view in your sidebar">
              <Bookmark size={15} />
            </button>
          )}
        </>
      )}
    </div>
  );
}
