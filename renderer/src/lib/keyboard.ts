// Global shortcuts (UI.md): J/K, Enter, R, N, A, E, U, Ctrl/Cmd+K, ?, Esc.
import { useEffect } from 'react';
import { useUi } from '../state/ui';
import { mutate } from './mutate';

function typing(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName);
}

/** Pure step for J/K so it can be tested: the id after/before `current` in `ids`. */
export function step(ids: string[], current: string | null, dir: 1 | -1): string | null {
  if (ids.length === 0) return null;
  const i = current ? ids.indexOf(current) : -1;
  if (i < 0) return dir === 1 ? (ids[0] ?? null) : (ids[ids.length - 1] ?? null);
  return ids[Math.max(0, Math.min(ids.length - 1, i + dir))] ?? null;
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
      if (e.key === 'Escape' && !typing(e.target)) {
        if (s.selectedId) s.select(null);
        return;
      }
      if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      const inInbox = s.view.kind === 'inbox' || s.view.kind === 'chats';
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
