// Hellos are paced: a burst (a reconnect storm) is spread over event-loop turns, first come first
// served, a few at a time, and a hello waiting for its client's earlier socket holds no place.
import { afterEach, describe, expect, it } from 'vitest';
import { Pacer } from '../sync/pacer';
import { startTestRelay, type TestOrg } from '../testing';
import { WsTestClient } from './wsClient';

const checkPhase = () => new Promise<void>((r) => setImmediate(r));

describe('Pacer', () => {
  it('starts sections in arrival order, at most `concurrency` at once', async () => {
    const p = new Pacer(2, 1000);
    const started: number[] = [];
    const release: (() => void)[] = [];
    const runs = [0, 1, 2, 3].map((i) =>
      p.run(async () => {
        started.push(i);
        await new Promise<void>((r) => release.push(r));
      }),
    );
    await checkPhase();
    expect(started).toEqual([0, 1]);
    release.shift()?.();
    await checkPhase();
    expect(started).toEqual([0, 1, 2]);
    while (release.length) {
      release.shift()?.();
      await checkPhase();
    }
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('once a slice is spent, the rest wait for later slices (one starts in each at least)', async () => {
    // no budget: each slice of the event loop (up to its check phase) starts one section
    const p = new Pacer(100, 0);
    const started: number[] = [];
    const runs = Array.from({ length: 5 }, (_, i) => p.run(async () => void started.push(i)));
    await Promise.resolve();
    expect(started).toEqual([0]);
    await checkPhase();
    expect(started.length).toBeLessThan(5);
    for (let i = 0; i < 10 && started.length < 5; i++) await checkPhase();
    await Promise.all(runs);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(p.deferred).toBe(4);
  });

  it('a stopped pacer starts everything waiting', async () => {
    const p = new Pacer(1, 0);
    let done = 0;
    const runs = Array.from({ length: 3 }, () => p.run(async () => void done++));
    p.stop();
    await Promise.all(runs);
    expect(done).toBe(3);
  });
});

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

describe('paced hellos', () => {
  it('a burst of hellos, one at a time, is welcomed in full (a reconnect of an open client among them)', async () => {
    const o = (org = await startTestRelay({ sync: { helloConcurrency: 1, helloSliceMs: 0 } }));
    const token = (await o.login(o.alice.email)).accessToken;
    const first = await WsTestClient.synced(o.relay.wsUrl, token);
    // the same client again (its earlier socket still open) among 20 others saying hello at once
    const burst = await Promise.all([
      WsTestClient.synced(o.relay.wsUrl, token, { clientId: first.clientId, cookie: first.cookie }),
      ...Array.from({ length: 20 }, () => WsTestClient.synced(o.relay.wsUrl, token)),
    ]);
    for (const c of burst) expect(c.all('welcome')).toHaveLength(1);
    expect(o.relay.services.hub.hellos.deferred).toBeGreaterThan(0);
    await Promise.all([first, ...burst].map((c) => c.close()));
  });
});
