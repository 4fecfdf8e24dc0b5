// The list's filter bar (label, assignee, channel, unread) and the saved view it came from.
// Reset when the user goes to another view, unless a saved view is being opened.
import { create } from 'zustand';
import type { SavedView } from '../../../shared/schema';
import { useUi } from './ui';

export interface ListFilters {
  labelId?: string;
  /** a user id or 'unassigned' */
  assignee?: string;
  channel?: 'sms' | 'whatsapp';
  /** a group, when the view is not already one group's */
  groupId?: string;
  unreadOnly?: boolean;
  /** the list's order (not a filter: not counted, not saved with a view); 'sla' = most urgent first */
  sort?: 'sla';
}

interface FilterState {
  filters: ListFilters;
  /** the saved view shown, if the list was opened from one */
  savedViewId: string | null;
  setFilters: (f: Partial<ListFilters>) => void;
  clear: () => void;
  openSaved: (v: Pick<SavedView, 'id' | 'filters'>) => void;
  /** the status filter: another of the conversation views, keeping the other filters */
  setStatus: (inbox: 'team' | 'snoozed' | 'archived') => void;
}

let opening = false;

export const useFilters = create<FilterState>()((set) => ({
  filters: {},
  savedViewId: null,
  setFilters: (f) => set((s) => ({ filters: { ...s.filters, ...f }, savedViewId: null })),
  clear: () => set({ filters: {}, savedViewId: null }),
  openSaved: (v) => {
    const f = v.filters;
    opening = true;
    useUi.getState().setView({ kind: 'inbox', inbox: f.status === 'snoozed' ? 'snoozed' : f.status === 'archived' ? 'archived' : 'team', groupId: f.groupId ?? null });
    opening = false;
    set({ filters: { labelId: f.labelId, assignee: f.assignee, channel: f.channel, unreadOnly: f.unreadOnly }, savedViewId: v.id });
  },
  setStatus: (inbox) => {
    const ui = useUi.getState();
    opening = true;
    ui.setView({ kind: 'inbox', inbox, groupId: ui.view.kind === 'inbox' ? ui.view.groupId : null });
    opening = false;
    set({ savedViewId: null });
  },
}));

export const activeFilterCount = (f: ListFilters): number => [f.labelId, f.assignee, f.channel, f.groupId, f.unreadOnly || undefined].filter((x) => x !== undefined).length;

useUi.subscribe((s, prev) => {
  if (s.view !== prev.view && !opening) useFilters.getState().clear();
});
