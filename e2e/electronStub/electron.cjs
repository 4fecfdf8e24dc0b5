// A recording stub of Electron's main-process API for the smoke test of the built main
// bundle under plain Node (e2e/electronMain.test.ts). It imitates Electron's API surface
// the app uses, records every call, and answers the test's commands over the fork IPC
// channel. It never imitates our components. Knobs (env): PARLEY_STUB_PROXY (what
// session.resolveProxy answers), PARLEY_STUB_STORAGE (safeStorage backend on Linux),
// PARLEY_STUB_DIALOG_RESPONSES (buttons pressed).
const { EventEmitter } = require('node:events');
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

// Electron adds this to `process` in the main process.
process.getSystemVersion ??= () => require('node:os').release();

const calls = [];
function record(api, args) {
  const entry = { api, args: JSON.parse(JSON.stringify(args ?? null, (_k, v) => (typeof v === 'function' ? '[function]' : v))) };
  calls.push(entry);
  if (process.send) process.send({ type: 'call', ...entry });
}

// ---- app ----
const paths = { userData: mkdtempSync(join(tmpdir(), 'parley-stub-ud-')), temp: tmpdir(), desktop: tmpdir(), home: tmpdir() };
let ready = false;
let resolveReady;
const readyPromise = new Promise((r) => (resolveReady = r));
const app = new EventEmitter();
Object.assign(app, {
  isPackaged: process.env.PARLEY_STUB_PACKAGED === '1',
  getVersion: () => process.env.PARLEY_STUB_VERSION ?? '0.1.0',
  getName: () => 'Parley',
  getAppPath: () => join(__dirname, '..', '..'),
  setPath(name, p) {
    record('app.setPath', [name, p]);
    paths[name] = p;
  },
  getPath(name) {
    if (name === 'logs' && !paths.logs) throw new Error("Failed to get 'logs' path: setAppLogsPath() was not called");
    if (name === 'crashDumps') return paths.crashDumps ?? join(paths.userData, 'Crashpad');
    if (!(name in paths)) throw new Error(`unknown path ${name}`);
    return paths[name];
  },
  setAppLogsPath(p) {
    paths.logs = p ?? join(paths.userData, 'logs');
  },
  requestSingleInstanceLock: () => true,
  setAsDefaultProtocolClient: (...a) => (record('app.setAsDefaultProtocolClient', a), true),
  setAppUserModelId: (id) => record('app.setAppUserModelId', [id]),
  setBadgeCount: (n) => (record('app.setBadgeCount', [n]), true),
  isReady: () => ready,
  whenReady: () => readyPromise,
  relaunch: () => record('app.relaunch', []),
  quit() {
    record('app.quit', []);
    const ev = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
    app.emit('before-quit', ev);
    if (ev.defaultPrevented) return;
    app.emit('will-quit', ev);
    app.emit('quit', ev, 0);
    setImmediate(() => process.exit(0));
  },
  exit(code) {
    record('app.exit', [code]);
    setImmediate(() => process.exit(code));
  },
});
setTimeout(() => {
  ready = true;
  app.emit('ready');
  resolveReady();
}, 10);

// ---- protocol, session, net ----
const protocolHandlers = new Map();
const protocol = {
  registerSchemesAsPrivileged: (s) => record('protocol.registerSchemesAsPrivileged', [s]),
  handle: (scheme, fn) => (record('protocol.handle', [scheme]), protocolHandlers.set(scheme, fn)),
};
const sessionHandlers = {};
const defaultSession = {
  setPermissionRequestHandler: (fn) => (sessionHandlers.request = fn),
  setPermissionCheckHandler: (fn) => (sessionHandlers.check = fn),
  async resolveProxy(url) {
    record('session.resolveProxy', [url]);
    return process.env.PARLEY_STUB_PROXY ?? 'DIRECT';
  },
  addWordToSpellCheckerDictionary: (w) => record('session.addWordToSpellCheckerDictionary', [w]),
};
const session = { defaultSession, fromPartition: () => defaultSession };
const net = {
  // Electron's net.fetch goes through Chromium's network stack; here, Node's fetch.
  fetch(input, init) {
    record('net.fetch', [String(input)]);
    return fetch(input, init);
  },
};

// ---- windows ----
const windows = [];
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.sent = [];
    this.session = defaultSession;
    this.loading = false;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
    if (process.send) process.send({ type: 'send', channel, payload });
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
  isLoading() {
    return this.loading;
  }
  replaceMisspelling(w) {
    record('webContents.replaceMisspelling', [w]);
  }
}
class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    record('new BrowserWindow', [options]);
    this.options = options;
    this.webContents = new WebContents();
    this.destroyed = false;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    windows.push(this);
  }
  async loadURL(url) {
    record('BrowserWindow.loadURL', [url]);
    this.url = url;
    this.webContents.loading = true;
    // Like Chromium: the page comes through the registered protocol handler.
    const handler = protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    const res = handler ? await handler(new Request(url.replace(/#.*/, ''))) : null;
    this.webContents.loading = false;
    if (res && res.ok) {
      this.emit('ready-to-show');
      this.webContents.emit('did-finish-load');
    } else this.webContents.emit('did-fail-load', {}, -6, 'not found', url);
  }
  isDestroyed() { return this.destroyed; }
  isMinimized() { return false; }
  isMaximized() { return false; }
  isFocused() { return false; }
  restore() {}
  show() { record('BrowserWindow.show', []); }
  focus() {}
  maximize() {}
  getNormalBounds() { return this.bounds; }
  setOverlayIcon(img, description) { record('BrowserWindow.setOverlayIcon', [description]); }
  close() {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.emit('closed');
  }
  static getAllWindows() { return windows.filter((w) => !w.destroyed); }
}

// ---- IPC ----
const ipcHandlers = new Map();
const ipcMain = new EventEmitter();
ipcMain.handle = (channel, fn) => ipcHandlers.set(channel, fn);

// ---- the rest of the surface ----
// PARLEY_STUB_DIALOG_RESPONSES="0,2": the buttons the user presses, one per message box, in order.
const dialogResponses = (process.env.PARLEY_STUB_DIALOG_RESPONSES ?? '').split(',').filter(Boolean).map(Number);
const dialogResponse = () => (dialogResponses.length ? dialogResponses.shift() : -1);
const dialog = {
  async showMessageBox(...a) {
    const opts = a.length > 1 ? a[1] : a[0];
    record('dialog.showMessageBox', [{ type: opts.type, message: opts.message, detail: opts.detail, buttons: opts.buttons }]);
    const r = dialogResponse();
    return { response: r >= 0 ? r : (opts.cancelId ?? 0), checkboxChecked: false };
  },
  async showSaveDialog(opts) {
    record('dialog.showSaveDialog', [opts]);
    return { canceled: !process.env.PARLEY_STUB_SAVE_PATH, filePath: process.env.PARLEY_STUB_SAVE_PATH };
  },
  showErrorBox: (t, c) => record('dialog.showErrorBox', [t, c]),
};
const clipboard = { writeText: (t) => record('clipboard.writeText', [t]) };
const shell = {
  openExternal: async (u) => record('shell.openExternal', [u]),
  openPath: async (p) => (record('shell.openPath', [p]), ''),
  showItemInFolder: (p) => record('shell.showItemInFolder', [p]),
};
let applicationMenu = null;
const Menu = {
  buildFromTemplate: (template) => ({ template, popup: () => record('Menu.popup', []) }),
  setApplicationMenu: (m) => {
    applicationMenu = m;
    record('Menu.setApplicationMenu', [m && m.template.map((i) => i.label ?? i.role)]);
  },
};
function findMenuItem(items, label) {
  for (const i of items ?? []) {
    if (i.label === label) return i;
    const sub = findMenuItem(Array.isArray(i.submenu) ? i.submenu : null, label);
    if (sub) return sub;
  }
  return null;
}
const nativeImage = { createFromPath: () => ({ resize() { return this; }, isEmpty: () => false }) };
class Tray extends EventEmitter {
  constructor() { super(); record('new Tray', []); }
  setToolTip(t) { record('Tray.setToolTip', [t]); }
  setContextMenu() {}
  setTitle() {}
  destroy() { record('Tray.destroy', []); }
}
class Notification extends EventEmitter {
  constructor(o) { super(); this.o = o; }
  static isSupported() { return true; }
  show() { record('Notification.show', [{ title: this.o.title }]); }
}
const backend = process.env.PARLEY_STUB_STORAGE ?? 'gnome_libsecret';
const safeStorage = {
  isEncryptionAvailable: () => ready,
  getSelectedStorageBackend: () => backend,
  // A reversible stand-in for the OS key: what matters here is that the file never holds the plain token.
  encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ 0x5a)),
  decryptString: (b) => {
    const s = Buffer.from(b.map((x) => x ^ 0x5a)).toString('utf8');
    if (!s) throw new Error('cannot decrypt');
    return s;
  },
};
const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] };
const crashReporter = { start: (o) => record('crashReporter.start', [o]) };
const powerMonitor = { getSystemIdleTime: () => 0 };

// ---- the test's commands ----
async function command(m) {
  switch (m.cmd) {
    case 'calls':
      return calls;
    case 'windows':
      return BrowserWindow.getAllWindows().map((w) => ({ options: w.options, url: w.url }));
    case 'protocol': {
      const handler = protocolHandlers.get(new URL(m.url).protocol.slice(0, -1));
      if (!handler) return null;
      const res = await handler(new Request(m.url));
      return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.text()).slice(0, 2000) };
    }
    case 'invoke': {
      const fn = ipcHandlers.get(m.channel);
      if (!fn) throw new Error(`no handler for ${m.channel}`);
      return fn({ senderFrame: { url: m.frameUrl }, sender: windows[0]?.webContents }, m.arg);
    }
    case 'permission': {
      const viaRequest = await new Promise((r) => sessionHandlers.request(windows[0]?.webContents, m.permission, r, { requestingUrl: m.url }));
      const viaCheck = sessionHandlers.check(windows[0]?.webContents, m.permission, m.url, {});
      return { request: viaRequest, check: viaCheck };
    }
    case 'windowOpen':
      return windows[0].webContents.windowOpenHandler({ url: m.url });
    case 'navigate': {
      const ev = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      windows[0].webContents.emit('will-navigate', ev, m.url);
      return { prevented: ev.defaultPrevented };
    }
    case 'menuClick': {
      // like a click on the application menu's item with that label
      const item = findMenuItem(applicationMenu && applicationMenu.template, m.label);
      if (!item || typeof item.click !== 'function') throw new Error(`no menu item "${m.label}"`);
      item.click();
      return true;
    }
    case 'throw':
      setImmediate(() => {
        throw new Error(m.message);
      });
      return true;
    case 'reject':
      void Promise.reject(new Error(m.message));
      return true;
    case 'quit':
      app.quit();
      return true;
    default:
      throw new Error(`unknown command ${m.cmd}`);
  }
}
if (process.send) {
  process.on('message', (m) => {
    if (!m || typeof m !== 'object' || !('cmd' in m)) return;
    command(m).then(
      (result) => process.send({ type: 'reply', id: m.id, ok: true, result }),
      (e) => process.send({ type: 'reply', id: m.id, ok: false, error: String(e && e.stack || e) }),
    );
  });
}

module.exports = { app, BrowserWindow, ipcMain, protocol, session, net, dialog, clipboard, shell, Menu, nativeImage, Tray, Notification, safeStorage, screen, crashReporter, powerMonitor };
