// Small web-first assertions over playwright-core locators (the @playwright/test runner
// is not installed): each retries until the UI settles or the timeout passes.
import type { Locator } from 'playwright-core';

const TIMEOUT = 15_000;

async function poll<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeout: number): Promise<void> {
  const end = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return;
    } catch {
      // element detached or not there yet: try again
    }
    if (Date.now() > end) throw new Error(`${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export function expect(l: Locator, timeout = TIMEOUT) {
  return {
    toBeVisible: () => l.waitFor({ state: 'visible', timeout }),
    toBeHidden: () => l.waitFor({ state: 'hidden', timeout }),
    toContainText: (s: string | RegExp) =>
      poll(() => l.innerText(), (t) => (typeof s === 'string' ? t.includes(s) : s.test(t)), `expected ${l.toString()} to contain ${String(s)}`, timeout),
    toHaveValue: (v: string) => poll(() => l.inputValue(), (x) => x === v, `expected ${l.toString()} to have value ${v}`, timeout),
    toHaveCount: (n: number) => poll(() => l.count(), (c) => c === n, `expected ${n} of ${l.toString()}`, timeout),
    toBeEnabled: () => poll(() => l.isEnabled(), (e) => e, `expected ${l.toString()} to be enabled`, timeout),
    toBeDisabled: () => poll(() => l.isDisabled(), (e) => e, `expected ${l.toString()} to be disabled`, timeout),
    // the page is a DOM the test tsconfig does not type: ask it by string
    toBeFocused: () => poll(() => l.evaluate((el: unknown) => (el as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement === el), (f) => f, `expected ${l.toString()} to have the focus`, timeout),
    toHaveAttribute: (name: string, v: string | RegExp) =>
      poll(() => l.getAttribute(name), (x) => x !== null && (typeof v === 'string' ? x === v : v.test(x)), `expected ${l.toString()} to have ${name}=${String(v)}`, timeout),
  };
}
