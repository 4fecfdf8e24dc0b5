// Start-up that never half-works: every error before the window is usable, and every
// uncaught exception or unhandled rejection afterwards, is logged and shown in a window
// with "Copy details" (the text IT pastes into a ticket). A start-up failure ends the app
// after the user has seen it; a later one lets them continue or quit.
import { app, clipboard, dialog, shell } from 'electron';
import { consoleLogger, createLogger, redactText, type Logger } from './log';

let log: Logger = consoleLogger;
let showing = false;
const seen = new Set<string>();

export function errorDetails(err: unknown, where: string): string {
  const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
  return redactText(
    [
      `Parley ${app.getVersion()} — ${where}`,
      `${process.platform} ${process.arch}, Electron ${process.versions.electron ?? '?'}, Node ${process.versions.node}`,
      `Log folder: ${log.dir || '(not opened yet)'}`,
      '',
      e.stack ?? `${e.name}: ${e.message}`,
    ].join('\n'),
  );
}

async function showError(title: string, err: unknown, where: string, fatal: boolean): Promise<void> {
  const detail = errorDetails(err, where);
  await app.whenReady();
  const buttons = fatal ? ['Copy details', 'Open log folder', 'Quit'] : ['Copy details', 'Open log folder', 'Continue', 'Quit Parley'];
  for (;;) {
    // Escape (cancelId) means Quit before the app ever worked, Continue afterwards.
    const { response } = await dialog.showMessageBox({ type: 'error', title: 'Parley', message: title, detail, buttons, defaultId: 0, cancelId: 2, noLink: true });
    if (response === 0) clipboard.writeText(detail);
    else if (response === 1 && log.dir) void shell.openPath(log.dir);
    else if (!fatal && response === 2) return;
    else {
      app.exit(1);
      return;
    }
  }
}

/** A start-up step failed: log it, show it, quit. */
export function startupFailed(err: unknown): void {
  log.error('startup', 'Parley could not start', { error: err });
  void showError('Parley could not start', err, 'start-up', true);
}

function unexpected(kind: string, err: unknown): void {
  log.error('main', kind, { error: err });
  const key = err instanceof Error ? `${err.name}:${err.message}` : String(err);
  // One window at a time, once per distinct error: a loop of failures must not bury the screen.
  if (showing || seen.has(key) || !app.isReady()) return;
  seen.add(key);
  showing = true;
  void showError('Parley hit an unexpected error', err, kind, false).finally(() => {
    showing = false;
  });
}

/**
 * The profile folder and the rotating log, before anything else can fail: a separate
 * profile with PARLEY_USER_DATA (tests, several accounts side by side; it also scopes the
 * single-instance lock), logs in the platform's log folder.
 */
export function openLog(): Logger {
  if (process.env.PARLEY_USER_DATA) app.setPath('userData', process.env.PARLEY_USER_DATA);
  try {
    app.setAppLogsPath();
    log = createLogger(app.getPath('logs'));
  } catch (e) {
    consoleLogger.error('startup', `cannot open the log folder: ${(e as Error).message}`);
  }
  return log;
}

/** Installed first thing in main, before any other module is loaded. */
export function installCrashHandlers(): void {
  process.on('uncaughtException', (err) => unexpected('uncaught exception', err));
  process.on('unhandledRejection', (reason) => unexpected('unhandled rejection', reason));
}
