import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { backoffDelay } from '../sync/backoff';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { checkLocalIndexes, diffReplica, relaySource } from './visibleSet';

let org: TestOrg | null = null;
const cores: TestCore[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await org?.relay.close();
  org = null;
});

describe('reset and reconnect', () => {
  it('backoff grows exponentially with full jitter and is capped', () => {
    expect(backoffDelay(0, () => 0.999)).toBeLessThan(500);
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(3000);
    expect(backoffDelay(30, () => 0.999)).toBeLessThanOrEqual(30_000);
    expect(backoffDelay(5, () => 0)).toBe(0);
  });

  it('losing a group while offline resets the replica; pending mutations survive and are pushed', async () => {
    org = await startTestRelay();
    const admin = newCore();
    const alice = newCore();
    cores.push(admin, alice);
    await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900401', body: 'secret sales talk' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 1, 'inbound reaches alice');
    await alice.impl.current!.sync.stop();
    await admin.mutate('removeMember', { groupId: org.groups.sales.id, userId: org.alice.id });
    await settled(admin);
    const contactId = uuidv7();
    expect((await alice.mutate('createContact', { id: contactId, name: 'Offline Olga', phone: '+447700900402' })).ok).toBe(true);
    alice.impl.current!.sync.start();
    await settled(alice);
    expect((await alice.query('inbox', { view: 'team' })).total).toBe(0);
    expect(await alice.query('search', { q: 'secret' })).toEqual([]);
    expect((await alice.query('contact', { id: contactId }))?.contact.name).toBe('Offline Olga');
    await waitFor(async () => (await admin.query('contact', { id: contactId })) !== null, 'offline contact reaches the relay');
    const relay = relaySource(org.relay.services.store);
    const replica = alice.impl.current!.replica;
    expect(diffReplica(relay, replica, org.alice.id)).toEqual([]);
    expect(checkLocalIndexes(replica.db)).toEqual([]);
    // the comparison does catch a row the user may not see
    const adminConv = admin.impl.current!.replica.store.find('conversations', {})[0]!;
    replica.store.put('conversations', adminConv);
    expect(diffReplica(relay, replica, org.alice.id).join()).toContain('NOT VISIBLE');
  });

  // the relay's catch-up must send a deleted conversation's scope delete to users restricted away earlier
  it('a conversation restricted away and then deleted while offline leaves the replica', async () => {
    org = await startTestRelay();
    const admin = newCore();
    const alice = newCore();
    cores.push(admin, alice);
    await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    await org.relay.simulator.inbound({ groupId: org.groups.sales.id, from: '+447700900404', body: 'soon gone' });
    await waitFor(async () => (await alice.query('inbox', { view: 'team' })).total === 1, 'inbound reaches alice');
    const conv = (await alice.query('inbox', { view: 'team' })).items[0]!;
    await alice.impl.current!.sync.stop();
    expect((await admin.mutate('manageConversation', { conversationId: conv.id, visibleTo: [org.bob.id], assignees: [], baseVisibilityVersion: 0 })).ok).toBe(true);
    await settled(admin);
    expect((await admin.mutate('deleteConversation', { conversationId: conv.id })).ok).toBe(true);
    await settled(admin);
    alice.impl.current!.sync.start();
    await settled(alice);
    expect(await alice.query('conversation', { id: conv.id })).toBeNull();
  });

  it('reconnects after the relay restarts on the same port and catches up', async () => {
    const dataDir = tempDir('parley-relay-');
    org = await startTestRelay({ dataDir });
    const port = org.relay.port;
    const alice = newCore();
    cores.push(alice);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    await org.relay.close();
    await waitFor(async () => (await alice.query('syncStatus', {})).state === 'offline', 'offline');
    const id = uuidv7();
    await alice.mutate('createContact', { id, name: 'While Down', phone: '+447700900403' });
    expect((await alice.query('syncStatus', {})).pending).toBe(1);
    org = await startTestRelay({ dataDir, port });
    await settled(alice, 40_000);
    expect((await org.relay.services.engine.store.rows.get('contacts', id))?.name).toBe('While Down');
  });
});
