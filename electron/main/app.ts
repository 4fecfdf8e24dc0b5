// Electron main: lifecycle, the window, the core (in this process) behind one IPC
// handler, deep links, notifications, tray, updates, logs and diagnostics. Logic that can
// be plain Node lives in the helpers beside this file or in electron/core.
import { app, BrowserWindow, crashReporter, dialog, ipcMain, net, Notification, powerMonitor, session, shell } from 'electron';
import { autoUpdater } from 'electron-updater';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BridgeEvent, SyncStatus } from '../../shared/bridge';
import { dispatchBridgeRequest } from '../../shared/bridgeWire';
import { createCore, type Core } from '../core';
import { setRelayFetch } from '../core/auth';
import { handleAppProtocol, registerAppScheme } from './appProtocol';
import { readJsonFile } from './atomicFile';
import { installContextMenu } from './contextMenu';
import { deepLinkFromArgv, parseDeepLink, type LinkTarget } from './deepLink';
import { writeDiagnosticsZip } from './diagnostics';
import type { Logger } from './log';
import { installMenu, type MenuActions } from './menu';
import { wsConnectOptions } from './network';
import { allowPermission } from './permissions';
import { readPolicy, type Policy } from './policy';
import { insecureStorageReason, SafeStorageSecretStore } from './secretStore';
import { startupFailed } from './startup';
import { createTray, setUnreadBadge, type UnreadTray } from './tray';
import { UpdateController } from './updater';
import { isAppUrl, startUrl } from './urls';
import { createMainWindow, preloadPath } from './window';

/** The installer's appId: Windows ties notifications, the taskbar badge and pinning to it. */
export const APP_USER_MODEL_ID = 'app.parley.desktop';

// Bundled to dist/electron/main.cjs; the renderer build sits beside it in dist/renderer.
const distDir = join(__dirname, '..');
const iconPath = join(__dirname, 'icon.png');
const overlayPath = join(__dirname, 'badge-overlay.png');

/** Relay URL to prefill: PARLEY_RELAY_URL or the machine policy, else `relayUrl` in <userData>/config.json. */
function configuredRelayUrl(policy: Policy, log: Logger): string | null {
  if (policy.relayUrl) return policy.relayUrl;
  const file = join(app.getPath('userData'), 'config.json');
  const r = readJsonFile(file, (v) => (v && typeof v === 'object' && typeof (v as { relayUrl?: unknown }).relayUrl === 'string' ? (v as { relayUrl: string }).relayUrl : null));
  if (!r.ok && !r.missing) log.warn('startup', `config.json ignored: ${r.reason}`);
  return r.ok ? r.value : null;
}

/** The relay no longer serves this version (its `client_too_old` answer: the core's 'outdated' state). */
export function isClientTooOld(status: SyncStatus): boolean {
  // 'outdated' also covers a relay older than this app: an update of the app cannot help there
  return status.state === 'outdated' && !/relay is older/i.test(status.error ?? '');
}

export function run(log: Logger): void {
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  const policy = readPolicy();
  // Minidumps stay on this machine (app.getPath('crashDumps')) unless IT names a collector.
  crashReporter.start({ uploadToServer: policy.crashReportUrl !== null, submitURL: policy.crashReportUrl ?? '', compress: true });

  if (!app.requestSingleInstanceLock()) {
    log.info('startup', 'another Parley is running: handing over to it');
    app.quit();
    return;
  }
  log.info('startup', `Parley ${app.getVersion()} starting`, { electron: process.versions.electron, platform: process.platform, arch: process.arch, policy: policy.source });
  for (const p of policy.problems) log.warn('startup', `policy: ${p}`);
  registerAppScheme();
  // parley:// — the installers register it (NSIS in the install scope, removed at uninstall;
  // Info.plist; the .deb's desktop file). Only development runs register it at run time,
  // where the OS must relaunch Electron with the app folder.
  const appArg = process.defaultApp ? process.argv.slice(1).find((a) => !a.startsWith('-')) : undefined;
  if (appArg) app.setAsDefaultProtocolClient('parley', process.execPath, [resolve(appArg)]);
  else if (!app.isPackaged) app.setAsDefaultProtocolClient('parley');
  main(policy, log).catch(startupFailed);
}

async function main(policy: Policy, log: Logger): Promise<void> {
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

  // Company networks: HTTP through Chromium's stack (system proxy, OS certificates); the sync socket
  // through the proxy Chromium picks for the relay (see network.ts).
  setRelayFetch((input, init) => net.fetch(input instanceof URL ? input.href : input, init));
  const storageProblem = insecureStorageReason();
  if (storageProblem) log.warn('startup', `sign-in kept in memory only: ${storageProblem}`);
  const core: Core = createCore({
    dataDir: join(userData, 'data'),
    secretStore: new SafeStorageSecretStore(join(userData, 'secrets.json'), storageProblem === null),
    clientName: 'electron',
    connectOptions: wsConnectOptions((url) => session.defaultSession.resolveProxy(url), log),
    log: (m) => log.warn('core', m),
  });

  // Notifications and clipboard writes for app://parley only; camera, microphone, geolocation… refused.
  session.defaultSession.setPermissionRequestHandler((_wc, permission, callback, details) => callback(allowPermission(permission, details.requestingUrl)));
  session.defaultSession.setPermissionCheckHandler((_wc, permission, origin) => allowPermission(permission, origin));
  handleAppProtocol(join(distDir, 'renderer'));

  // The window opens at once; bridge calls wait until the core has resumed its session.
  const started = core.start().then(
    () => log.info('core', 'core started'),
    (e: unknown) => startupFailed(e),
  );
  ipcMain.handle('parley:bridge', async (event, raw: unknown) => {
    const from = event.senderFrame?.url ?? '';
    if (!isAppUrl(from)) {
      log.warn('main', 'refused a bridge call from outside the Parley window', { origin: from.slice(0, 100) });
      return { id: -1, ok: false, error: { code: 'forbidden', message: 'Not the Parley window' } };
    }
    await started;
    const res = await dispatchBridgeRequest(core, raw);
    if (!res.ok && res.error.code === 'internal') log.error('core', 'bridge call failed', { name: (raw as { name?: unknown } | null)?.name, code: res.error.code, message: res.error.message });
    return res;
  });

  // ---- updates ----
  let updates: UpdateController | null = null;
  const menu: MenuActions = {
    docsUrl: 'https://parley.app/help',
    exportDiagnostics: () => void exportDiagnostics(),
    openLogFolder: () => void shell.openPath(log.dir),
    checkForUpdates: () => void checkForUpdatesByHand(),
  };
  if (!app.isPackaged) log.info('update', 'not a packaged build: no updates');
  else {
    updates = new UpdateController(autoUpdater, {
      policy,
      log,
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      promptRestart: (version) => {
        menu.restartToUpdate = { version, run: () => updates?.restartNow() };
        installMenu(menu);
        // A notification, never a modal: it does not take the keyboard from the composer.
        if (Notification.isSupported()) {
          const n = new Notification({ title: 'Parley update ready', body: `Version ${version} is ready. Click to restart Parley now, or it installs when you quit.`, icon: iconPath });
          n.on('click', () => updates?.restartNow());
          n.show();
        }
      },
    });
    updates.start();
  }

  async function checkForUpdatesByHand(): Promise<void> {
    if (!updates) {
      await dialog.showMessageBox({ type: 'info', message: 'Updates', detail: app.isPackaged ? (policy.updatesOffReason ?? 'Updates are off.') : 'This is a development build: no updates.' });
      return;
    }
    const s = await updates.check('menu');
    const detail =
      s.kind === 'disabled' ? `Updates are managed by your IT department (${s.reason}).`
      : s.kind === 'ready' ? `Version ${s.version} is ready: use Help → Restart to Update.`
      : s.kind === 'error' ? `Parley could not check for updates: ${s.message}`
      : `Parley ${app.getVersion()} is up to date.`;
    await dialog.showMessageBox({ type: 'info', message: 'Updates', detail });
  }

  let tooOldShown = false;
  async function clientTooOld(): Promise<void> {
    if (tooOldShown) return;
    tooOldShown = true;
    log.warn('update', 'the relay refused this version of Parley');
    const state = updates ? await updates.clientTooOld() : null;
    const detail =
      state?.kind === 'ready' ? `Version ${state.version} is downloaded. Restart Parley to install it; your unsent changes are kept.`
      : updates && state?.kind !== 'disabled' ? 'Parley could not download the new version yet. It keeps trying; if this stays, ask IT to install the latest Parley. Your unsent changes are kept.'
      : 'Updates are managed by your IT department: ask them to install the latest Parley. Your unsent changes are kept.';
    const buttons = state?.kind === 'ready' ? ['Restart now', 'Later'] : ['OK'];
    const r = await dialog.showMessageBox({ type: 'warning', title: 'Parley', message: `This version of Parley (${app.getVersion()}) is too old for your organisation's relay`, detail, buttons, defaultId: 0, noLink: true });
    if (state?.kind === 'ready' && r.response === 0) updates?.restartNow();
    tooOldShown = false;
  }

  // ---- diagnostics ----
  async function exportDiagnostics(): Promise<void> {
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    const r = await dialog.showSaveDialog({ title: 'Export diagnostics', defaultPath: join(app.getPath('desktop'), `parley-diagnostics-${stamp}.zip`), filters: [{ name: 'Zip', extensions: ['zip'] }] });
    if (r.canceled || !r.filePath) return;
    const files: Record<string, string> = {};
    for (const name of ['config.json', 'window-state.json']) {
      try {
        files[name] = readFileSync(join(userData, name), 'utf8');
      } catch {
        /* absent */
      }
    }
    writeDiagnosticsZip(r.filePath, {
      logDir: log.dir,
      versions: { parley: app.getVersion(), electron: process.versions.electron ?? '', chrome: process.versions.chrome ?? '', node: process.versions.node, os: `${process.platform} ${process.arch} ${process.getSystemVersion()}` },
      facts: { policy, update: updates?.state ?? null, sync: await core.query('syncStatus', {}).catch(() => null), secureStorage: storageProblem ?? 'ok', userData, packaged: app.isPackaged },
      files,
      crashDumpsDir: app.getPath('crashDumps'),
    });
    log.info('main', 'diagnostics exported');
    shell.showItemInFolder(r.filePath);
  }

  // ---- badge, notifications, sync events ----
  let countsTimer: NodeJS.Timeout | null = null;
  const refreshUnread = (): void => {
    if (countsTimer) return;
    countsTimer = setTimeout(() => {
      countsTimer = null;
      // The badge is the to-do list (My inbox: assigned conversations and chats), not the whole team's unread.
      const apply = (n: number): void => {
        tray?.setUnread(n);
        setUnreadBadge(n, win, overlayPath);
      };
      core.query('counts', {}).then((c) => apply(c.mine), () => apply(0));
    }, 300);
  };
  let lastSync = '';
  core.subscribe((e) => {
    send(e);
    if (e.type === 'changed' || e.type === 'session') refreshUnread();
    if (e.type === 'session') log.info('core', e.session ? 'signed in' : 'signed out');
    if (e.type === 'sync') {
      // Only state changes and errors: counts and timestamps would flood the log.
      const line = `${e.status.state}${e.status.error ? `: ${e.status.error}` : ''}`;
      if (line !== lastSync) log.info('sync', line, { pending: e.status.pending });
      lastSync = line;
      if (isClientTooOld(e.status)) void clientTooOld();
    }
    // No pop-up for what the user is already looking at.
    if (e.type === 'notify' && Notification.isSupported() && !win?.isFocused()) {
      const n = new Notification({ title: e.title, body: e.body, icon: iconPath });
      n.on('click', () => navigate(e.target));
      n.show();
    }
  });

  installMenu(menu);
  win = createMainWindow({ stateFile: join(userData, 'window-state.json'), preload: preloadPath(__dirname), url: startUrl(configuredRelayUrl(policy, log)), icon: iconPath });
  installContextMenu(win);
  win.webContents.on('did-finish-load', () => {
    if (pendingLink) send({ type: 'navigate', target: pendingLink });
    pendingLink = null;
  });
  win.webContents.on('render-process-gone', (_e, d) => log.error('main', `renderer gone: ${d.reason}`, { exitCode: d.exitCode }));
  if (storageProblem && Notification.isSupported()) {
    new Notification({ title: 'Parley', body: 'Your desktop has no keyring (libsecret or KWallet): Parley keeps your sign-in for this session only.' }).show();
  }
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
    updates?.stop();
    tray?.destroy();
    log.info('main', 'quitting');
    void core.close().finally(() => app.quit());
  });
}
