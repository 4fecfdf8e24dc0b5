// Protocol versions in practice: this client against a newer relay (extra tables, fields,
// frames and codes), against an older relay (it says hello again in protocol 1), and refusals
// that survive a lost pushResult — the connection cut, or the relay restarted, between the
// relay's commit and the answer reaching the client.
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, settled, waitFor, type TestCore } from './harness';
import { RelayProxy } from './relayProxy';
import { tempDir } from './helpers';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(dataDir?: string, port?: number): Promise<{ org: TestOrg; proxy: RelayProxy; url: string; alice: TestCore }> {
  const org = await startTestRelay({ ...(dataDir ? { dataDir } : {}), ...(port ? { port } : {}) });
  const proxy = new RelayProxy({ host: '127.0.0.1', port: org.relay.port });
  const url = await proxy.listen();
  const alice = newCore();
  cleanup.push(async () => org.relay.close(), async () => proxy.close(), async () => alice.close());
  return { org, proxy, url, alice };
}

/** A contact the relay has and alice's replica does not (its poke is held by the proxy). */
async function relayOnlyContact(org: TestOrg, phone: string): Promise<void> {
  await org.relay.services.engine.runAs({ userId: org.admin.id, role: 'admin' }, 'createContact', { id: uuidv7(), name: 'Already Here', phone });
}

const failures = (c: TestCore) => c.query('failures', {});

/**
 * Alice creates a contact whose number the relay already has (its poke held by the proxy, so
 * her replica does not know): the relay refuses it; its answer waits in the proxy. Her clientId.
 */
async function refusedWhileHeld(org: TestOrg, proxy: RelayProxy, alice: TestCore, phone: string, name: string): Promise<string> {
  proxy.holdDown();
  await relayOnlyContact(org, phone);
  expect((await alice.mutate('createContact', { id: uuidv7(), name, phone })).ok).toBe(true);
  const clientId = alice.impl.current!.replica.meta()!.clientId;
  await waitFor(async () => ((await org.relay.services.engine.client(clientId))?.lastMutationId ?? 0) >= 1, 'the relay to refuse it');
  return clientId;
}

describe('a newer relay', () => {
  it('extra tables, fields, frames and result codes: known rows apply, unknown ones are skipped and remembered, the outbox keeps moving', async () => {
    const { org, proxy, url, alice } = await setup();
    let unknownFrames = 0;
    proxy.hooks.down = (f) => {
      if (f.type === 'pong') {
        unknownFrames++;
        return { type: 'cursors', users: [{ id: 'u', at: 3 }] }; // a frame type this build never heard of
      }
      if (f.type === 'poke') return { ...f, puts: [...(f.puts as object[]), { t: 'snoozes', r: { id: 'sz1', until: 1, version: 1 } }], dels: [...(f.dels as object[]), { t: 'snoozes', id: 'sz0' }], hint: 'x' };
      if (f.type === 'welcome') return { ...f, cursors: { online: 3 } };
      if (f.type === 'pushResult') {
        return { ...f, results: (f.results as { status: string; code?: string }[]).map((r) => (r.code === 'conflict' ? { ...r, code: 'duplicate_number_v9' } : r)) };
      }
      return f;
    };
    await alice.command('signIn', { relayUrl: url, email: 'alice@test.parley', password: org.password });
    await settled(alice);
    const skipped = alice.impl.current!.replica.db.prepare('SELECT skipped_tables AS s FROM meta').get() as { s: string };
    expect(JSON.parse(skipped.s)).toEqual(['snoozes']);

    // frames of an unknown type in the middle of a live session change nothing
    await waitFor(() => unknownFrames >= 1, 'an unknown frame to be sent');
    expect(await alice.query('syncStatus', {})).toMatchObject({ state: 'online', error: null });
    await refusedWhileHeld(org, proxy, alice, '+447700900777', 'Mine Too');
    proxy.releaseDown();

    // the unknown code is a refusal carrying the relay's own sentence
    await waitFor(async () => (await failures(alice)).length === 1, 'the refusal to be recorded');
    const [f] = await failures(alice);
    expect(f).toMatchObject({ code: 'invalid', message: '+447700900777 already belongs to Already Here.' });
    // and the outbox is not blocked
    const next = uuidv7();
    expect((await alice.mutate('createContact', { id: next, name: 'Next One', phone: '+447700900778' })).ok).toBe(true);
    await waitFor(async () => (await org.relay.services.engine.store.rows.get('contacts', next)) !== undefined, 'the next mutation at the relay');
    await settled(alice);
  });

  it('a build that learns a skipped table refetches everything once', () => {
    // replica-level rule, with this build's own table list standing in for a newer one
    const dir = tempDir();
    return (async () => {
      const { Replica } = await import('../db/replica');
      const r = Replica.open(`${dir}/r.sqlite`);
      r.initMeta({ clientId: 'c', userId: 'u', relayUrl: 'http://x', role: 'agent' });
      r.noteSkippedTable('snoozes');
      r.noteSkippedTable('snoozes');
      expect(r.takeNowKnownSkippedTables(['users'])).toBe(false);
      expect(r.takeNowKnownSkippedTables(['users', 'snoozes'])).toBe(true);
      expect(r.takeNowKnownSkippedTables(['users', 'snoozes'])).toBe(false);
      r.close();
    })();
  });
});

describe('an older relay', () => {
  it('answers protocol_version to hello v2: the client says hello in protocol 1 and syncs', async () => {
    const { org, proxy, url, alice } = await setup();
    const seen: number[] = [];
    proxy.hooks.up = (f, reply) => {
      if (f.type !== 'hello') return f;
      seen.push(f.protocolVersion as number);
      if (f.protocolVersion !== 1) {
        reply({ type: 'error', code: 'protocol_version', message: 'this relay speaks protocol 1' }, 4000); // as Parley 0.1 does
        return null;
      }
      expect(f.handledUpTo).toBeUndefined(); // nothing protocol 1 does not have
      return f;
    };
    await alice.command('signIn', { relayUrl: url, email: 'alice@test.parley', password: org.password });
    await settled(alice);
    expect(seen).toEqual([2, 1]);
    const id = uuidv7();
    expect((await alice.mutate('createContact', { id, name: 'Via v1', phone: '+447700900779' })).ok).toBe(true);
    await waitFor(async () => (await org.relay.services.engine.store.rows.get('contacts', id)) !== undefined, 'the mutation at the relay');
  });
});

describe('a refusal is never lost in transit', () => {
  it('the connection drops after the relay refused and before the pushResult arrived: the failure is on the item', async () => {
    const { org, proxy, url, alice } = await setup();
    await alice.command('signIn', { relayUrl: url, email: 'alice@test.parley', password: org.password });
    await settled(alice);
    const clientId = await refusedWhileHeld(org, proxy, alice, '+447700900780', 'Lost Answer');
    proxy.cutAll(); // the held pushResult and poke are lost with the connection
    proxy.releaseDown();
    await settled(alice);
    const list = await failures(alice);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: 'conflict', name: 'createContact', message: '+447700900780 already belongs to Already Here.' });
    expect((list[0]!.args as { name: string }).name).toBe('Lost Answer'); // what the user typed stays reachable
    // confirmed at the next hello: the relay forgets it
    alice.impl.current!.sync.dropConnection();
    await settled(alice);
    await waitFor(async () => (await org.relay.services.engine.pendingRejections(clientId, 0)).length === 0, 'the relay to forget the confirmed refusal');
  });

  it('the relay restarts between its commit and the pushResult: the failure is on the item', async () => {
    const relayDir = tempDir('parley-relay-');
    const first = await setup(relayDir);
    const { proxy, url, alice } = first;
    let org = first.org;
    await alice.command('signIn', { relayUrl: url, email: 'alice@test.parley', password: org.password });
    await settled(alice);
    await refusedWhileHeld(org, proxy, alice, '+447700900781', 'Restarted');
    const port = org.relay.port;
    await org.relay.close();
    proxy.cutAll();
    org = await startTestRelay({ dataDir: relayDir, port });
    cleanup.push(async () => org.relay.close());
    proxy.releaseDown();
    await settled(alice, 30_000);
    expect(await failures(alice)).toMatchObject([{ code: 'conflict', name: 'createContact' }]);
  });
});
