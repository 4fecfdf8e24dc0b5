// UI state that is not data: where the user is, what is selected, theme, drafts.
import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ConversationViewName } from '../../../shared/bridge';

export type View =
  | { kind: 'inbox'; inbox: ConversationViewName; groupId: string | null }
  | { kind: 'chats' }
  | { kind: 'mentions' }
  | { kind: 'canned' }
  | { kind: 'contacts' }
  | { kind: 'broadcast' }
  | { kind: 'settings' }
  | { kind: 'channels' }
  | { kind: 'reports' };

export type ThemePref = 'system' | 'light' | 'dark';
export type Dialog =
  | null
  /** notice: why the dialog reopened (a stale save), shown above the lists */
  | { kind: 'manage'; conversationId: string; notice?: string }
  | { kind: 'confirm-archive'; conversationId: string }
  | { kind: 'confirm-delete'; conversationId: string }
  | { kind: 'invoice'; conversationId: string }
  | { kind: 'checkout'; conversationId: string }
  | { kind: 'new-chat' }
  | { kind: 'snooze'; conversationId: string }
  | { kind: 'labels'; conversationId: string }
  | { kind: 'send-later'; conversationId: string; messageId?: string }
  | { kind: 'save-view' }
  | { kind: 'chat-members'; chatId: string }
  | { kind: 'discuss'; conversationId: string }
  | { kind: 'palette' }
  | { kind: 'shortcuts' };

export interface Draft {
  text: string;
  noteMode: boolean;
  channel: 'sms' | 'whatsapp' | null;
}

export type Density = 'compact' | 'comfortable';
/** height of a list row, px, per density (the virtualised list and the CSS agree) */
export const ROW_HEIGHT: Record<Density, number> = { compact: 46, comfortable: 64 };

interface UiState {
  view: View;
  selectedId: string | null;
  /** the row under the keyboard cursor in the list (J/K) */
  cursorId: string | null;
  detailsOpen: boolean;
  theme: ThemePref;
  /** list rows: compact (two lines, ≥ 16 rows on a 1440×900 window) or comfortable (three) */
  density: Density;
  dialog: Dialog;
  drafts: Record<string, Draft>;
  /** bumped to ask the composer to take focus (R, N) */
  composerFocus: number;
  /** ids of the current list in display order, for J/K */
  listIds: string[];
  setListIds: (ids: string[]) => void;
  setView: (v: View) => void;
  select: (id: string | null) => void;
  setCursor: (id: string | null) => void;
  toggleDetails: () => void;
  setTheme: (t: ThemePref) => void;
  setDensity: (d: Density) => void;
  openDialog: (d: Dialog) => void;
  closeDialog: () => void;
  setDraft: (id: string, d: Partial<Draft>) => void;
  focusComposer: () => void;
  /** sign-out: forget drafts and where the last user was */
  reset: () => void;
}

export const emptyDraft: Draft = { text: '', noteMode: false, channel: null };

export const useUi = create<UiState>()(
  persist(
    (set) => ({
      view: { kind: 'inbox', inbox: 'mine', groupId: null },
      selectedId: null,
      cursorId: null,
      detailsOpen: true,
      theme: 'system',
      density: 'compact',
      dialog: null,
      drafts: {},
      composerFocus: 0,
      listIds: [],
      setListIds: (listIds) => set({ listIds }),
      setView: (view) => set({ view, selectedId: null, cursorId: null }),
      select: (selectedId) => set({ selectedId, cursorId: selectedId }),
      setCursor: (cursorId) => set({ cursorId }),
      toggleDetails: () => set((s) => ({ detailsOpen: !s.detailsOpen })),
      setTheme: (theme) => set({ theme }),
      setDensity: (density) => set({ density }),
      openDialog: (dialog) => set({ dialog }),
      closeDialog: () => set({ dialog: null }),
      setDraft: (id, d) => set((s) => ({ drafts: { ...s.drafts, [id]: { ...emptyDraft, ...s.drafts[id], ...d } } })),
      focusComposer: () => set((s) => ({ composerFocus: s.composerFocus + 1 })),
      reset: () => set({ drafts: {}, selectedId: null, cursorId: null, dialog: null, view: { kind: 'inbox', inbox: 'mine', groupId: null } }),
    }),
    {
      name: 'parley.ui',
      // drafts survive a reload; selection and dialogs do not
      partialize: (s) => ({ theme: s.theme, density: s.density, detailsOpen: s.detailsOpen, drafts: s.drafts, view: s.view }),
    },
  ),
);
