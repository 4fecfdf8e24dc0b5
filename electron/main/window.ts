// The one main window: locked-down web preferences, navigation kept inside app://,
// web links sent to the system browser, bounds remembered.
import { BrowserWindow, screen, shell } from 'electron';
import { join } from 'node:path';
import { readWindowState, restoreBounds, writeWindowState } from './windowState';
import { isAppUrl, isSafeExternal } from './urls';

export function createMainWindow(opts: { stateFile: string; preload: string; url: string; icon?: string }): BrowserWindow {
  const saved = readWindowState(opts.stateFile);
  const bounds = restoreBounds(saved, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Parley',
    icon: opts.icon,
    backgroundColor: '#111318',
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: true,
    },
  });
  if (bounds.maximized) win.maximize();
  win.once('ready-to-show', () => win.show());

  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    if (isSafeExternal(url)) void shell.openExternal(url);
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());

  const save = (): void => writeWindowState(opts.stateFile, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  win.on('close', save);
  void win.loadURL(opts.url);
  return win;
}

export const preloadPath = (dir: string): string => join(dir, 'preload.cjs');
