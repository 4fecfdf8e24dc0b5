// Tray icon with the unread count in its tooltip and menu; the dock/taskbar badge too.
import { app, Menu, nativeImage, Tray } from 'electron';

export interface UnreadTray {
  setUnread(n: number): void;
  destroy(): void;
}

export function createTray(iconPath: string, show: () => void): UnreadTray {
  const image = nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 });
  const tray = new Tray(image);
  const render = (n: number): void => {
    const label = n === 0 ? 'No unread conversations' : `${n} unread`;
    tray.setToolTip(`Parley — ${label}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label, enabled: false },
        { type: 'separator' },
        { label: 'Open Parley', click: show },
        { label: 'Quit Parley', role: 'quit' },
      ]),
    );
    if (process.platform === 'darwin') tray.setTitle(n > 0 ? String(n) : '');
    app.setBadgeCount(n);
  };
  tray.on('click', show);
  render(0);
  return { setUnread: render, destroy: () => tray.destroy() };
}
