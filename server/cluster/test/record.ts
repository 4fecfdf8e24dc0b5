// Records events and lets a test wait until they say something (no sleeps: each new event
// re-checks the waiting conditions; vitest's timeout bounds a wait that never comes true).
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: { ok: (items: readonly T[]) => boolean; resolve: () => void }[] = [];

  push = (x: T): void => {
    this.items.push(x);
    this.check();
  };

  /** Resolves once `ok(items)` holds (at once if it already does). */
  until(ok: (items: readonly T[]) => boolean): Promise<void> {
    if (ok(this.items)) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiters.push({ ok, resolve }));
  }

  private check(): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.ok(this.items)) return true;
      w.resolve();
      return false;
    });
  }
}
