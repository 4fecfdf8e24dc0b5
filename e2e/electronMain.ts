// Runs the built Electron main bundle (dist/electron/main.cjs) under plain Node with the
// recording stub of Electron's API (e2e/electronStub/), and talks to it over the fork's
// IPC channel: the test's stand-in for Chromium and the OS.
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { root } from './harness';

export interface StubCall {
  api: string;
  args: unknown[];
}
type Msg = { type: 'call'; api: string; args: unknown[] } | { type: 'send'; channel: string; payload: unknown } | { type: 'reply'; id: number; ok: boolean; result?: unknown; error?: string };

export interface MainProcess {
  child: ChildProcess;
  calls: StubCall[];
  sent: { channel: string; payload: unknown }[];
  output(): string;
  cmd<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /** resolves when a message satisfying `pred` has arrived (or already had) */
  waitFor(pred: (m: Msg) => boolean, what: string, timeoutMs?: number): Promise<Msg>;
  bridge<T = unknown>(kind: 'query' | 'command' | 'mutate', name: string, args: unknown, frameUrl?: string): Promise<{ ok: boolean; result?: T; error?: { code: string; message: string } }>;
  exited: Promise<number | null>;
}

let nextId = 1;

export function launchMain(env: Record<string, string>): MainProcess {
  const child = fork(join(root, 'dist/electron/main.cjs'), [], {
    execArgv: ['--require', join(root, 'e2e/electronStub/register.cjs')],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const messages: Msg[] = [];
  const waiters = new Set<{ pred: (m: Msg) => boolean; done: (m: Msg) => void }>();
  const replies = new Map<number, (m: Extract<Msg, { type: 'reply' }>) => void>();
  const calls: StubCall[] = [];
  const sent: { channel: string; payload: unknown }[] = [];
  child.on('message', (raw) => {
    const m = raw as Msg;
    messages.push(m);
    if (m.type === 'call') calls.push({ api: m.api, args: m.args });
    if (m.type === 'send') sent.push({ channel: m.channel, payload: m.payload });
    if (m.type === 'reply') replies.get(m.id)?.(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.delete(w);
        w.done(m);
      }
    }
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const p: MainProcess = {
    child,
    calls,
    sent,
    output: () => out,
    exited,
    cmd<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        replies.set(id, (m) => (m.ok ? resolve(m.result as T) : reject(new Error(m.error))));
        child.send({ id, cmd, ...args });
      });
    },
    waitFor(pred, what, timeoutMs = 20_000) {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise<Msg>((resolve, reject) => {
        const w = {
          pred,
          done: (m: Msg) => {
            clearTimeout(timer);
            resolve(m);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error(`timed out waiting for ${what}\n--- main output ---\n${out}`));
        }, timeoutMs);
        waiters.add(w);
        void exited.then((code) => {
          if (!waiters.has(w)) return;
          waiters.delete(w);
          clearTimeout(timer);
          reject(new Error(`main exited (${code}) while waiting for ${what}\n--- main output ---\n${out}`));
        });
      });
    },
    bridge(kind, name, args, frameUrl = 'app://parley/index.html') {
      return p.cmd('invoke', { channel: 'parley:bridge', frameUrl, arg: { id: nextId++, kind, name, args } });
    },
  };
  return p;
}

/** The sync status the core pushed to the window last (null before any). */
export function syncStates(p: MainProcess): string[] {
  return p.sent.filter((s) => (s.payload as { type?: string }).type === 'sync').map((s) => (s.payload as { status: { state: string } }).status.state);
}
