// Side effects of app state on the window: unread count in the title, notifications.
import { useEffect } from 'react';
import { getBridge } from '../../bridge';
import { useBridgeQuery } from './queries';
import { useUi } from '../state/ui';
import { toast } from '../state/toasts';

export function useAppEffects() {
  const counts = useBridgeQuery('counts', {}).data;
  const unread = counts ? counts.mine : 0;
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  useEffect(
    () =>
      getBridge().subscribe((e) => {
        if (e.type !== 'notify') return;
        const ui = useUi.getState();
        if (!document.hidden && ui.selectedId === e.target.id) return;
        // Electron's main process shows OS notifications; in a browser tab we use the web API when allowed
        if (document.hidden && typeof Notification !== 'undefined' && Notification.permission === 'granted' && !window.parley) {
          const n = new Notification(e.title, { body: e.body });
          n.onclick = () => {
            window.focus();
            ui.setView(e.target.kind === 'chat' ? { kind: 'chats' } : { kind: 'inbox', inbox: 'mine', groupId: null });
            useUi.getState().select(e.target.id);
          };
        } else if (!document.hidden) {
          toast('info', `${e.title}: ${e.body}`);
        }
      }),
    [],
  );
}
