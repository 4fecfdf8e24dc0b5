// Child processes of the scale bench: started with tsx, driven by request/response over IPC.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

export interface Request {
  id: number;
  cmd: string;
  args?: unknown;
}
export interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export class Child {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else w.reject(new Error(m.error ?? 'child failed'));
    });
    proc.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`child exited (${String(code)})`));
      this.waiting.clear();
    });
  }

  static start(file: string, env: Record<string, string> = {}): Child {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const proc = fork(file, [], { execArgv: ['--import', tsx, '--max-old-space-size=2048', ...prof], env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Child(proc);
  }

  call<T>(cmd: string, args?: unknown): Promise<T> {
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await exited;
  }
}

/** In a child: answers requests with `handlers`. */
export function serve(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (m: Request) => {
    const h = handlers[m.cmd];
    void (async () => {
      try {
        if (!h) throw new Error(`unknown command ${m.cmd}`);
        const value = await h(m.args as never);
        process.send?.({ id: m.id, ok: true, value } satisfies Reply);
      } catch (e) {
        process.send?.({ id: m.id, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) } satisfies Reply);
      }
    })();
  });
}

/** Longest event-loop stall and peak RSS of this process since the last mark. */
export class ProcessMeter {
  private h: IntervalHistogram = monitorEventLoopDelay({ resolution: 5 });
  private peakRss = 0;
  /** what the process held when its RSS peaked: V8 heap, and Buffers outside it */
  private atPeak = { heapMB: 0, heapTotalMB: 0, externalMB: 0 };
  /** CPU time (user + system, every thread of the process) since the mark */
  private cpuAtMark = process.cpuUsage();
  private readonly timer: NodeJS.Timeout;
  constructor() {
    this.h.enable();
    this.timer = setInterval(() => this.sample(), 25);
    this.timer.unref();
  }
  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss <= this.peakRss) return;
    this.peakRss = rss;
    const m = process.memoryUsage();
    this.atPeak = { heapMB: Math.round(m.heapUsed / 1e6), heapTotalMB: Math.round(m.heapTotal / 1e6), externalMB: Math.round(m.external / 1e6) };
  }
  mark(): void {
    this.h.reset();
    this.cpuAtMark = process.cpuUsage();
    this.peakRss = 0;
    this.sample();
  }
  read(): { maxStallMs: number; p99StallMs: number; peakRssMB: number; cpuMs: number; atPeak: { heapMB: number; heapTotalMB: number; externalMB: number } } {
    this.sample();
    const cpu = process.cpuUsage(this.cpuAtMark);
    // the histogram records timer delay including the resolution itself
    return { maxStallMs: +(this.h.max / 1e6).toFixed(1), p99StallMs: +(this.h.percentile(99) / 1e6).toFixed(1), peakRssMB: Math.round(this.peakRss / 1e6), cpuMs: Math.round((cpu.user + cpu.system) / 1000), atPeak: this.atPeak };
  }
}
