// The organisation's name reaches the session; a relay restored from an older backup (it lost
// this client's acknowledged mutations) does not stall the client: new clientId, pending
// mutations renumbered and pushed once, replica refetched; a refusal of a renumbered mutation is
// a failure of its own beside the undismissed ones of the old client id.
import { afterEach, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, settled, signIn, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { diffReplica, relaySource } from './visibleSet';

let org: TestOrg | null = null;
const cores: TestCore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  await org?.relay.close();
  org = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 5 });
});

describe('organisation name', () => {
  it('comes with login, is kept in the persisted session and follows the welcome', async () => {
    org = await startTestRelay();
    await org.relay.services.engine.meta.set('orgName', 'Acme Test Org');
    const res = await fetch(`${org.relay.httpUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'alice@test.parley', password: org.password }) });
    expect(((await res.json()) as { orgName?: string }).orgName).toBe('Acme Test Org');
    const alice = newCore();
    cores.push(alice);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    expect((await alice.query('session', {}))?.orgName).toBe('Acme Test Org');
    // renamed on the relay: the next welcome brings it, and session.json keeps it
    await org.relay.services.engine.meta.set('orgName', 'Acme Renamed');
    alice.impl.current!.sync.dropConnection();
    await waitFor(async () => (await alice.query('session', {}))?.orgName === 'Acme Renamed', 'welcome renames the org');
    expect((JSON.parse(readFileSync(join(alice.dataDir, 'session.json'), 'utf8')) as { orgName?: string }).orgName).toBe('Acme Renamed');
  });
});

describe('relay restored from an older backup', () => {
  it('renumbers pending mutations under a new clientId, pushes them once and resyncs', async () => {
    const relayDir = tempDir('parley-relay-live-');
    const backupDir = tempDir('parley-relay-backup-');
    dirs.push(relayDir, backupDir);
    org = await startTestRelay({ dataDir: relayDir });
    const port = org.relay.port;
    const alice = newCore();
    cores.push(alice);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    const kept = uuidv7();
    expect((await alice.mutate('createContact', { id: kept, name: 'Before Backup', phone: '+447700900501' })).ok).toBe(true);
    await settled(alice);

    // the backup: the relay knows mutation 1 of this client
    await org.relay.close();
    cpSync(relayDir, backupDir, { recursive: true });
    org = await startTestRelay({ dataDir: relayDir, port });
    const lost = [uuidv7(), uuidv7()];
    for (const [i, id] of lost.entries()) expect((await alice.mutate('createContact', { id, name: `Lost ${i}`, phone: `+44770090051${i}` })).ok).toBe(true);
    await settled(alice);
    const oldClientId = alice.impl.current!.replica.meta()!.clientId;

    // the relay goes down; the client works offline; the relay comes back from the backup
    await org.relay.close();
    org = null;
    const offline = uuidv7();
    expect((await alice.mutate('createContact', { id: offline, name: 'Offline Olga', phone: '+447700900520' })).ok).toBe(true);
    expect((await alice.mutate('updateContact', { id: kept, name: 'Renamed Offline' })).ok).toBe(true);
    expect((await alice.query('syncStatus', {})).pending).toBe(2);
    org = await startTestRelay({ dataDir: backupDir, port });
    await settled(alice, 30_000);

    const meta = alice.impl.current!.replica.meta()!;
    expect(meta.clientId).not.toBe(oldClientId);
    expect(meta.nextMutationId).toBe(3); // the two pending ones became 1 and 2
    const store = org.relay.services.engine.store.rows;
    expect((await store.get('contacts', offline))?.name).toBe('Offline Olga');
    expect((await store.get('contacts', kept))?.name).toBe('Renamed Offline');
    for (const id of lost) expect((await store.get('contacts', id))).toBeUndefined(); // acknowledged: never re-sent
    expect(await alice.query('failures', {})).toEqual([]);
    const relay = relaySource(org.relay.services.store);
    const replica = alice.impl.current!.replica;
    expect(diffReplica(relay, replica, org.alice.id)).toEqual([]);

    // and it keeps working normally afterwards
    const after = uuidv7();
    expect((await alice.mutate('createContact', { id: after, name: 'After Restore', phone: '+447700900530' })).ok).toBe(true);
    await settled(alice);
    expect((await store.get('contacts', after))?.name).toBe('After Restore');
  });

  it('a refusal of a renumbered mutation is a failure of its own: the earlier one with the same mutation id stays, each dismissed alone', async () => {
    const relayDir = tempDir('parley-relay-live-');
    const backupDir = tempDir('parley-relay-backup-');
    dirs.push(relayDir, backupDir);
    org = await startTestRelay({ dataDir: relayDir });
    const port = org.relay.port;
    const admin = newCore();
    const alice = newCore();
    cores.push(admin, alice);
    await signIn(admin, org.relay.httpUrl, 'admin@test.parley', org.password);
    await signIn(alice, org.relay.httpUrl, 'alice@test.parley', org.password);
    const [first, second] = [uuidv7(), uuidv7()];
    expect((await admin.mutate('createContact', { id: first, name: 'First Contact', phone: '+447700900541' })).ok).toBe(true);
    expect((await admin.mutate('createContact', { id: second, name: 'Second Contact', phone: '+447700900542' })).ok).toBe(true);
    await settled(admin);
    await waitFor(async () => (await alice.query('contact', { id: second })) !== null, 'the contacts reach alice');

    // the backup: the relay knows no mutation of alice's client
    await org.relay.close();
    cpSync(relayDir, backupDir, { recursive: true });
    org = await startTestRelay({ dataDir: relayDir, port });
    await settled(admin);
    await settled(alice);

    // alice's mutation 1 is refused: she edits offline a contact the admin deletes meanwhile
    await alice.impl.current!.sync.stop();
    expect((await admin.mutate('deleteContact', { id: first })).ok).toBe(true);
    await settled(admin);
    expect(await alice.mutate('updateContact', { id: first, notes: 'called back' })).toEqual({ ok: true, mutationId: 1 });
    alice.impl.current!.sync.start();
    await settled(alice);
    const [earlier] = await alice.query('failures', {});
    expect(earlier).toMatchObject({ mutationId: 1, name: 'updateContact', targetId: first });

    // offline again, alice edits the second contact; the relay comes back from the backup (it
    // never saw her mutation 1) and the admin deletes that contact there
    await alice.impl.current!.sync.stop();
    const oldClientId = alice.impl.current!.replica.meta()!.clientId;
    expect(await alice.mutate('updateContact', { id: second, notes: 'left a message' })).toEqual({ ok: true, mutationId: 2 });
    await org.relay.close();
    org = await startTestRelay({ dataDir: backupDir, port });
    await settled(admin, 30_000);
    expect((await admin.mutate('deleteContact', { id: second })).ok).toBe(true);
    await settled(admin);

    // alice becomes a new client: her pending edit is its mutation 1, and the relay refuses it
    alice.impl.current!.sync.start();
    await settled(alice, 30_000);
    expect(alice.impl.current!.replica.meta()!.clientId).not.toBe(oldClientId);
    await waitFor(async () => (await alice.query('failures', {})).length === 2, 'the second refusal, beside the first');
    const both = await alice.query('failures', {});
    const later = both.find((f) => f.targetId === second);
    expect(later).toMatchObject({ mutationId: 1, name: 'updateContact', args: { id: second, notes: 'left a message' } });
    expect(both.find((f) => f.targetId === first)).toEqual(earlier); // untouched
    expect(later!.id).not.toBe(earlier!.id);

    // dismissing one leaves the other
    await alice.command('dismissFailure', { id: earlier!.id });
    expect(await alice.query('failures', {})).toEqual([later]);
    await alice.command('dismissFailure', { id: later!.id });
    expect(await alice.query('failures', {})).toEqual([]);
  });
});
