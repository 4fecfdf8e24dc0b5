// Retries a provider call with exponential backoff while it reports a retryable failure
// (rate limits, 5xx) or throws.
export async function withRetry<T>(fn: () => Promise<T>, retryable: (r: T) => boolean, attempts = 4, baseMs = 250): Promise<T> {
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, baseMs * 2 ** (i - 1)));
    try {
      const r = await fn();
      if (!retryable(r) || i === attempts - 1) return r;
    } catch (e) {
      lastError = e;
      if (i === attempts - 1) throw e;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('retry failed');
}
