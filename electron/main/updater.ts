// Auto-update policy around electron-updater: a check at start and every few hours, a
// quiet download, a "Restart to update" prompt only once the user has stopped typing,
// stable/beta channels, IT's switch to turn it all off, and an immediate check when the
// relay says this client is too old. Plain Node apart from the injected updater and
// callbacks: tested against a local HTTP feed (electron/main/updater.test.ts).
//
// What the updater verifies: every download against the sha512 of the feed's latest.yml;
// on Windows the installer's Authenticode signature against the publisher name built into
// the app (electron-builder writes it to app-update.yml); on macOS Squirrel.Mac checks the
// new app's code signature against the running one. The feed must be https://.
import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { Logger } from './log';
import type { Policy } from './policy';

export type UpdateState =
  | { kind: 'disabled'; reason: string }
  | { kind: 'idle'; lastCheck: number | null }
  | { kind: 'checking' }
  | { kind: 'downloading'; version: string; percent: number }
  | { kind: 'ready'; version: string }
  | { kind: 'error'; message: string };

export interface UpdateControllerOptions {
  policy: Policy;
  log: Logger;
  /** seconds since the last keyboard or mouse input (Electron: powerMonitor.getSystemIdleTime) */
  idleSeconds(): number;
  /** show the non-modal "Restart to update" prompt (a notification and a menu item) */
  promptRestart(version: string): void;
  onState?(s: UpdateState): void;
  /** idle time before prompting, and how often to look again while the user types */
  quietSeconds?: number;
  promptPollMs?: number;
}

export class UpdateController {
  state: UpdateState;
  private interval: NodeJS.Timeout | null = null;
  private promptTimer: NodeJS.Timeout | null = null;
  private prompted: string | null = null;
  private checking: Promise<UpdateState> | null = null;

  constructor(private readonly u: AppUpdater, private readonly o: UpdateControllerOptions) {
    const p = o.policy;
    this.state = p.updates ? { kind: 'idle', lastCheck: null } : { kind: 'disabled', reason: p.updatesOffReason ?? 'turned off by policy' };
    if (!p.updates) return;
    u.autoDownload = true; // quietly, in the background
    u.autoInstallOnAppQuit = true; // a downloaded update is installed at the next quit anyway
    u.logger = {
      info: (m?: unknown) => o.log.info('update', String(m)),
      warn: (m?: unknown) => o.log.warn('update', String(m)),
      error: (m?: unknown) => o.log.error('update', String(m)),
    };
    if (p.updateUrl) u.setFeedURL({ provider: 'generic', url: p.updateUrl, ...(p.updateChannel === 'beta' ? { channel: 'beta' } : {}) });
    if (p.updateChannel === 'beta') {
      u.channel = 'beta';
      u.allowPrerelease = true;
    }
    u.allowDowngrade = false; // the channel setter allows it; a stable user never goes back
    u.on('checking-for-update', () => this.set({ kind: 'checking' }));
    u.on('update-not-available', () => this.set({ kind: 'idle', lastCheck: Date.now() }));
    u.on('update-available', (info: UpdateInfo) => {
      o.log.info('update', `update ${info.version} available; downloading`);
      this.set({ kind: 'downloading', version: info.version, percent: 0 });
    });
    u.on('download-progress', (pr: { percent: number }) => {
      if (this.state.kind === 'downloading') this.set({ ...this.state, percent: Math.round(pr.percent) });
    });
    u.on('update-downloaded', (info: UpdateInfo) => {
      o.log.info('update', `update ${info.version} downloaded and verified`);
      this.set({ kind: 'ready', version: info.version });
      this.promptWhenQuiet(info.version);
    });
    u.on('error', (e: Error) => {
      o.log.error('update', 'update failed', { error: e });
      if (this.state.kind !== 'ready') this.set({ kind: 'error', message: e.message });
    });
  }

  private set(s: UpdateState): void {
    this.state = s;
    this.o.onState?.(s);
  }

  /** First check now, then every `updateCheckHours`. */
  start(): void {
    if (this.state.kind === 'disabled') {
      this.o.log.info('update', `updates ${this.state.reason}`);
      return;
    }
    void this.check('start');
    this.interval = setInterval(() => void this.check('scheduled'), this.o.policy.updateCheckHours * 3600_000);
    this.interval.unref();
  }

  stop(): void {
    if (this.interval) clearInterval(this.interval);
    if (this.promptTimer) clearTimeout(this.promptTimer);
    this.interval = this.promptTimer = null;
  }

  /** Resolves with the state once the check (and a download it started) has settled. */
  check(reason: string): Promise<UpdateState> {
    if (this.state.kind === 'disabled' || this.state.kind === 'ready') return Promise.resolve(this.state);
    this.checking ??= (async () => {
      this.o.log.info('update', `checking for updates (${reason}, channel ${this.o.policy.updateChannel})`);
      try {
        const r = await this.u.checkForUpdates();
        if (r?.downloadPromise) await r.downloadPromise;
      } catch (e) {
        if (this.state.kind !== 'error') this.set({ kind: 'error', message: (e as Error).message });
      }
      return this.state;
    })().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  /** The relay refused this version (client_too_old): look for the update at once. */
  clientTooOld(): Promise<UpdateState> {
    this.o.log.warn('update', 'the relay says this version is too old');
    return this.check('client_too_old');
  }

  /** Never while the user types: wait for `quietSeconds` without input, then prompt once per version. */
  private promptWhenQuiet(version: string): void {
    if (this.promptTimer) clearTimeout(this.promptTimer);
    const quiet = this.o.quietSeconds ?? 20;
    const tick = (): void => {
      this.promptTimer = null;
      if (this.prompted === version) return;
      if (this.o.idleSeconds() >= quiet) {
        this.prompted = version;
        this.o.promptRestart(version);
      } else {
        this.promptTimer = setTimeout(tick, this.o.promptPollMs ?? 15_000);
        this.promptTimer.unref();
      }
    };
    tick();
  }

  /** The user chose "Restart to update". */
  restartNow(): void {
    if (this.state.kind !== 'ready') return;
    this.o.log.info('update', `restarting to install ${this.state.version}`);
    this.u.quitAndInstall(false, true);
  }
}
