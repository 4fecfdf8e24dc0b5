// A sync large enough to matter (several MB through the WAL): the WAL is kept bounded, applying
// pauses while the checkpoint worker copies it into the database.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startTestRelay, type TestOrg } from '../../../server/testing';
import type { Contact } from '../../../shared/schema';
import { createCore, FileSecretStore } from '../index';
import { Replica } from '../db/replica';
import { settled, signIn, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';

let org: TestOrg | null = null;
let core: TestCore | null = null;
afterEach(async () => {
  await core?.close();
  core = null;
  await org?.relay.close();
  org = null;
});

const contact = (i: number): Contact => ({
  id: `bulk-${i}`, name: `Bulk contact ${i}`, phone: `+4477${String(i).padStart(8, '0')}`, email: null, tags: [], notes: 'n'.repeat(400),
  optedOut: false, defaultVisibleTo: null, defaultAssignees: [], createdAt: 1, updatedAt: 1, version: 0,
});


/** every table, index and trigger of the replica file at `path`, with its exact statement */
function schema(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  } finally {
    db.close();
  }
}

describe('a large sync', () => {
  it('a full fetch in parts drops the secondary indexes of messages and builds them once at its end, leaving the schema of a fresh replica', async () => {
    org = await startTestRelay();
    // more rows than one streamed part: the fetch comes in parts
    await org.relay.services.engine.write((tx) => {
      for (let j = 0; j < 1500; j++) tx.put('contacts', contact(j));
    });
    const dataDir = tempDir();
    core = Object.assign(createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), pingIntervalMs: 2000 }), { dataDir });
    await signIn(core, org.relay.httpUrl, 'admin@test.parley', org.password);
    await settled(core);
    const replica = core.impl.current?.replica;
    expect(replica?.indexRestores).toBe(1); // dropped for the fetch, built once when it ended
    expect(replica?.indexesPending).toBe(false);
    const freshDir = tempDir();
    Replica.open(join(freshDir, 'fresh.sqlite')).close();
    expect(schema(core.impl.replicaPath(org.admin.id))).toEqual(schema(join(freshDir, 'fresh.sqlite')));
    expect(replica?.store.get('contacts', 'bulk-1499')?.name).toBe('Bulk contact 1499');
  });

  it('builds a table\'s deferred indexes as soon as the fetch has moved past its rows, not all at the end', async () => {
    org = await startTestRelay();
    const n = 700; // more than a streamed part per table
    await org.relay.services.engine.write((tx) => {
      for (let j = 0; j < n; j++) {
        tx.put('contacts', contact(j));
        tx.put('conversations', { id: `bulk-cv${j}`, contactId: `bulk-${j}`, groupId: org?.groups.sales.id ?? '', channel: 'sms', status: 'open', visibleTo: null, assignees: [], createdAt: j, openedAt: j, archivedAt: null, lastActivityAt: j, lastPreview: '', lastInboundAt: j, snoozedBy: null, snoozedUntil: null, wokenAt: null, labels: [], visibilityVersion: 0, visibilityChangedBy: null, autoAssignWaiting: false, autoAssignedTo: null, autoAssignedAt: null, metaOnly: null, version: 0 });
        tx.put('messages', { id: `bulk-m${j}`, conversationId: `bulk-cv${j}`, direction: 'inbound', channel: 'sms', body: `bulk zebra ${j}`, authorId: null, status: 'delivered', failureReason: null, segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: j, version: 0 });
      }
    });
    const dataDir = tempDir();
    core = Object.assign(createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), pingIntervalMs: 2000 }), { dataDir });
    await signIn(core, org.relay.httpUrl, 'admin@test.parley', org.password);
    await settled(core);
    const replica = core.impl.current?.replica;
    // contacts (text index rebuilt) once conversations came, conversations once messages came, messages after
    expect(replica?.indexRestores).toBe(3);
    expect(replica?.indexesPending).toBe(false);
    const freshDir = tempDir();
    Replica.open(join(freshDir, 'fresh.sqlite')).close();
    expect(schema(core.impl.replicaPath(org.admin.id))).toEqual(schema(join(freshDir, 'fresh.sqlite')));
    expect(replica?.db.prepare('SELECT count(*) AS n FROM contacts_fts WHERE contacts_fts MATCH ?').get('"Bulk contact 69"')).toEqual({ n: 11 });
  });

  it('keeps the WAL near its limit: applying waits for complete checkpoints instead of letting it grow with the sync', async () => {
    org = await startTestRelay();
    const dataDir = tempDir();
    const limit = 256 << 10;
    core = Object.assign(createCore({ dataDir, secretStore: new FileSecretStore(join(dataDir, 'secrets.json')), pingIntervalMs: 2000, walLimitBytes: limit }), { dataDir });
    await signIn(core, org.relay.httpUrl, 'admin@test.parley', org.password);
    await settled(core);
    await core.impl.current?.replica.startCheckpointer(); // the worker is up (a real sync outlasts its start)
    const rows = 6000;
    for (let i = 0; i < rows; i += 1000) {
      await org.relay.services.engine.write((tx) => {
        for (let j = i; j < i + 1000; j++) tx.put('contacts', contact(j));
      });
    }
    await waitFor(() => core?.impl.current?.replica.store.get('contacts', `bulk-${rows - 1}`) !== undefined, 'the last bulk contact');
    await settled(core);
    const replica = core.impl.replicaPath(org.admin.id);
    const db = new Database(replica, { readonly: true });
    expect((db.prepare("SELECT count(*) AS n FROM contacts WHERE id LIKE 'bulk-%'").get() as { n: number }).n).toBe(rows);
    db.close();
    // ~6,000 × 400 bytes went through the WAL (several MB): it was copied out and started over
    expect(core.impl.current?.replica.checkpointsRequested ?? 0).toBeGreaterThan(0);
    expect(core.impl.current?.replica.walOver(4 * limit)).toBe(false);
  });
});
