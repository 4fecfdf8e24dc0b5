// Side effects of app state on the window: unread count in the title, notifications.
import { useEffect } from 'react';
import { getBridge } from '../../bridge';
import { useBridgeQuery } from './queries';
import { useUi } from '../state/ui';
import { toast } from '../state/toasts';

/** Deep link or notification click: show the item in the view it lives in. */
function open(target: { kind: 'conversation' | 'chat'; id: string; noteId?: string }): void {
  const ui = useUi.getState();
  // a mention's conversation need not be assigned to me: open it in the Team inbox
  ui.setView(target.kind === 'chat' ? { kind: 'chats' } : { kind: 'inbox', inbox: target.noteId ? 'team' : 'mine', groupId: null });
  useUi.getState().select(target.id);
}

export function useAppEffects() {
  const counts = useBridgeQuery('counts', {}).data;
  const unread = counts ? counts.mine : 0;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  useEffect(
    () =>
      getBridge().subscribe((e) => {
        if (e.type === 'navigate') return open(e.target);
        if (e.type !== 'notify') return;
        const ui = useUi.getState();
        if (!document.hidden && ui.selectedId === e.target.id) return;
        // Electron's main process shows OS notifications; in a browser tab we use the web API when allowed
        if (document.hidden && typeof Notification !== 'undefined' && Notification.permission === 'granted' && !window.parley) {
          const n = new Notification(e.title, { body: e.body });
          n.onclick = () => {
            window.focus();
            open(e.target);
          };
        } else if (!document.hidden) {
          toast('info', `${e.title}: ${e.body}`);
        }
      }),
    [],
  );
}
