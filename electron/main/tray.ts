// Tray icon with the unread count in its tooltip and menu; the dock/launcher badge
// (macOS, Unity) and, on Windows, the taskbar overlay icon with the count as its
// accessible description (setBadgeCount does nothing there).
import { app, Menu, nativeImage, Tray, type BrowserWindow } from 'electron';

export interface UnreadTray {
  setUnread(n: number): void;
  destroy(): void;
}

export function unreadLabel(n: number): string {
  return n === 0 ? 'No unread conversations' : `${n} unread`;
}

/** The badge wherever the platform shows one; returns what was done (tests). */
export function setUnreadBadge(n: number, win: BrowserWindow | null, overlayIconPath: string): 'badge' | 'overlay' {
  if (process.platform === 'win32') {
    if (win && !win.isDestroyed()) win.setOverlayIcon(n > 0 ? nativeImage.createFromPath(overlayIconPath) : null, n > 0 ? unreadLabel(n) : '');
    return 'overlay';
  }
  app.setBadgeCount(n);
  return 'badge';
}

export function createTray(iconPath: string, show: () => void): UnreadTray {
  const image = nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 });
  const tray = new Tray(image);
  const render = (n: number): void => {
    const label = unreadLabel(n);
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
  };
  tray.on('click', show);
  render(0);
  return { setUnread: render, destroy: () => tray.destroy() };
}
