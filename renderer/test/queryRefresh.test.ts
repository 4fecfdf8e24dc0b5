// Issue 12 item 7: a change that lands while a query's first read is in flight must not leave
// that read's old answer on screen (My inbox and the sidebar counts stayed short after the
// first sign-in until a reload).
import { describe, expect, it } from 'vitest';
import { QueryClient, QueryObserver } from '@tanstack/react-query';
import { caughtUp, refreshAffected } from '../src/lib/queries.logic';

/** A query whose reads answer only when released, with the replica's state at the time of the read. */
function slowSource() {
  let value = 'partial replica';
  const pending: (() => void)[] = [];
  return {
    set: (v: string) => (value = v),
    read: () => {
      const seen = value;
      return new Promise<string>((resolve) => pending.push(() => resolve(seen)));
    },
    releaseAll: () => pending.splice(0).forEach((r) => r()),
    waiting: () => pending.length,
  };
}

describe('refreshing queries on change events', () => {
  it('a first read in flight when the change arrives is read again', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    const src = slowSource();
    const observer = new QueryObserver(client, { queryKey: ['inbox', {}], queryFn: src.read });
    const seen: (string | undefined)[] = [];
    const unsubscribe = observer.subscribe((r) => seen.push(r.data));
    expect(src.waiting()).toBe(1);
    // the catch-up's last part is applied while the first read is on its way
    src.set('caught up');
    const done = refreshAffected(client, () => true);
    await new Promise((r) => setTimeout(r, 0));
    src.releaseAll();
    await done;
    expect(observer.getCurrentResult().data).toBe('caught up');
    expect(seen).not.toContain('partial replica');
    unsubscribe();
    client.clear();
  });

  it('a query that already has data is refetched as usual', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { staleTime: Infinity, retry: false } } });
    const src = slowSource();
    const observer = new QueryObserver(client, { queryKey: ['counts', {}], queryFn: src.read });
    const unsubscribe = observer.subscribe(() => undefined);
    src.releaseAll();
    await new Promise((r) => setTimeout(r, 0));
    expect(observer.getCurrentResult().data).toBe('partial replica');
    src.set('caught up');
    const done = refreshAffected(client, () => true);
    src.releaseAll();
    await done;
    expect(observer.getCurrentResult().data).toBe('caught up');
    unsubscribe();
    client.clear();
  });

  it('says when the catch-up completes', () => {
    expect(caughtUp(undefined, 'online')).toBe(true);
    expect(caughtUp('syncing', 'online')).toBe(true);
    expect(caughtUp('online', 'online')).toBe(false);
    expect(caughtUp('online', 'offline')).toBe(false);
  });
});
