// Global shortcuts (UI.md): J/K, Enter, R, N, A, E, H (snooze), L (label), U, Ctrl/Cmd+K, ?, Esc.
import { useEffect } from 'react';
import { useUi } from '../state/ui';
import { mutate } from './mutate';
import { step } from './step';

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

export function useShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = useUi.getState();
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        s.openDialog(s.dialog?.kind === 'palette' ? null : { kind: 'palette' });
        return;
      }
      if (s.dialog) return; // the dialog handles its own keys (Esc closes it)
      // so does a modal opened by a component (the composer's "just replied" question, a location)
      if (e.target instanceof Element && e.target.closest('dialog[open]')) return;
      if (e.key === 'Escape' && !typing(e.target)) {
        if (s.selectedId) s.select(null);
        return;
      }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      // arrows inside a list behave like J/K (the listbox pattern)
      if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && e.target instanceof HTMLElement && e.target.getAttribute('role') === 'listbox') {
        const next = step(s.listIds, s.cursorId ?? s.selectedId, e.key === 'ArrowDown' ? 1 : -1);
        if (next) s.setCursor(next);
        e.preventDefault();
        return;
      }
      const inInbox = s.view.kind === 'inbox' || s.view.kind === 'chats' || s.view.kind === 'contacts' || s.view.kind === 'mentions' || s.view.kind === 'canned';
      const conv = s.view.kind === 'inbox' ? s.selectedId : null;
      let handled = true;
      switch (e.key) {
        case 'j':
        case 'J':
        case 'k':
        case 'K': {
          const next = step(s.listIds, s.cursorId ?? s.selectedId, e.key.toLowerCase() === 'j' ? 1 : -1);
          if (next) s.setCursor(next);
          break;
        }
        case 'Enter':
          if (s.cursorId && inInbox && !(e.target instanceof HTMLButtonElement)) s.select(s.cursorId);
          else handled = false;
          break;
        case 'r':
        case 'R':
          if (s.selectedId) {
            if (conv) s.setDraft(conv, { noteMode: false });
            s.focusComposer();
          }
          break;
        case 'n':
        case 'N':
          if (conv) {
            s.setDraft(conv, { noteMode: true });
            s.focusComposer();
          }
          break;
        case 'a':
        case 'A':
          if (conv) s.openDialog({ kind: 'manage', conversationId: conv });
          break;
        case 'e':
        case 'E':
          if (conv) s.openDialog({ kind: 'confirm-archive', conversationId: conv });
          break;
        case 'h':
        case 'H':
          if (conv) s.openDialog({ kind: 'snooze', conversationId: conv });
          break;
        case 'l':
        case 'L':
          if (conv) s.openDialog({ kind: 'labels', conversationId: conv });
          break;
        case 'u':
        case 'U':
          if (s.selectedId) {
            const id = s.selectedId;
            void mutate('markRead', { targetId: id, at: 0 });
            s.select(null);
            s.setCursor(id);
          }
          break;
        case '?':
          s.openDialog({ kind: 'shortcuts' });
          break;
        default:
          handled = false;
      }
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
