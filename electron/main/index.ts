// Electron main: lifecycle, the window, the core (in this process) behind one IPC
// handler, deep links, notifications, tray. Logic that can be plain Node lives in the
// pure helpers beside this file or in electron/core.
import { app, BrowserWindow, ipcMain, Notification, session } from 'electron';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BridgeEvent } from '../../shared/bridge';
import { dispatchBridgeRequest } from '../../shared/bridgeWire';
import { createCore, type Core } from '../core';
import { handleAppProtocol, registerAppScheme } from './appProtocol';
import { deepLinkFromArgv, parseDeepLink, type LinkTarget } from './deepLink';
import { installMenu } from './menu';
import { SafeStorageSecretStore } from './secretStore';
import { createTray, type UnreadTray } from './tray';
import { isAppUrl, startUrl } from './urls';
import { createMainWindow, preloadPath } from './window';

// Bundled to dist/electron/main.cjs; the renderer build sits beside it in dist/renderer.
const distDir = join(__dirname, '..');
const iconPath = join(__dirname, 'icon.png');

// A separate profile (tests, several accounts side by side); also scopes the single-instance lock.
if (process.env.PARLEY_USER_DATA) app.setPath('userData', process.env.PARLEY_USER_DATA);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  // In development (`electron .`) the OS must relaunch Electron with the app folder.
  const appArg = process.defaultApp ? process.argv.slice(1).find((a) => !a.startsWith('-')) : undefined;
  if (appArg) app.setAsDefaultProtocolClient('parley', process.execPath, [join(process.cwd(), appArg)]);
  else app.setAsDefaultProtocolClient('parley');
  void main();
}

/** Relay URL to prefill: PARLEY_RELAY_URL, else `relayUrl` in <userData>/config.json (set by IT). */
function configuredRelayUrl(): string | null {
  if (process.env.PARLEY_RELAY_URL) return process.env.PARLEY_RELAY_URL;
  try {
    const v = (JSON.parse(readFileSync(join(app.getPath('userData'), 'config.json'), 'utf8')) as { relayUrl?: unknown }).relayUrl;
    return typeof v === 'string' ? v : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  let win: BrowserWindow | null = null;
  let pendingLink: LinkTarget | null = deepLinkFromArgv(process.argv);
  let tray: UnreadTray | null = null;

  const send = (e: BridgeEvent): void => {
    if (win && !win.isDestroyed()) win.webContents.send('parley:event', e);
  };
  const show = (): void => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  };
  const navigate = (target: LinkTarget): void => {
    if (!win || win.webContents.isLoading()) pendingLink = target;
    else send({ type: 'navigate', target });
    show();
  };

  app.on('open-url', (event, url) => {
    event.preventDefault();
    const t = parseDeepLink(url);
    if (t) navigate(t);
  });
  app.on('second-instance', (_e, argv) => {
    const t = deepLinkFromArgv(argv);
    if (t) navigate(t);
    else show();
  });

  await app.whenReady();
  // The bundle cannot find drizzle/client from import.meta; build-electron copies it here.
  process.env.PARLEY_CLIENT_MIGRATIONS ??= join(__dirname, 'migrations');
  const userData = app.getPath('userData');
  const core: Core = createCore({ dataDir: join(userData, 'data'), secretStore: new SafeStorageSecretStore(join(userData, 'secrets.json')), clientName: 'electron' });

  // Only notifications; camera, microphone, geolocation and the rest are refused.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback) => callback(permission === 'notifications'));
  session.defaultSession.setPermissionCheckHandler((_wc, permission) => permission === 'notifications');
  handleAppProtocol(join(distDir, 'renderer'));

  // The window opens at once; bridge calls wait until the core has resumed its session.
  const started = core.start();
  ipcMain.handle('parley:bridge', async (event, raw: unknown) => {
    if (!isAppUrl(event.senderFrame?.url ?? '')) return { id: -1, ok: false, error: { code: 'forbidden', message: 'Not the Parley window' } };
    await started.catch(() => undefined);
    return dispatchBridgeRequest(core, raw);
  });

  let countsTimer: NodeJS.Timeout | null = null;
  const refreshUnread = (): void => {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = null;
      // The badge is the to-do list (My inbox: assigned conversations and chats), not the whole team's unread.
      core.query('counts', {}).then((c) => tray?.setUnread(c.mine), () => tray?.setUnread(0));
    }, 300);
  };
  core.subscribe((e) => {
    send(e);
    if (e.type === 'changed' || e.type === 'session') refreshUnread();
    // No pop-up for what the user is already looking at.
    if (e.type === 'notify' && Notification.isSupported() && !win?.isFocused()) {
      const n = new Notification({ title: e.title, body: e.body, icon: iconPath });
      n.on('click', () => navigate(e.target));
      n.show();
    }
  });

  installMenu({ docsUrl: 'https://parley.app/help' });
  win = createMainWindow({ stateFile: join(userData, 'window-state.json'), preload: preloadPath(__dirname), url: startUrl(configuredRelayUrl()), icon: iconPath });
  win.webContents.on('did-finish-load', () => {
    if (pendingLink) send({ type: 'navigate', target: pendingLink });
    pendingLink = null;
  });
  try {
    tray = createTray(iconPath, show);
  } catch {
    tray = null; // some Linux desktops have no tray
  }
  refreshUnread();

  app.on('activate', () => show());
  app.on('window-all-closed', () => app.quit());
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    tray?.destroy();
    void core.close().finally(() => app.quit());
  });
}
