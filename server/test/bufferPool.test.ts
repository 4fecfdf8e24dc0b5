// Catch-up parts are written into reusable send buffers that go back to the pool once the socket
// wrote them: a relay holds about its catch-up bytes in flight, not every part it sent.
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { BufferPool, encodePooled, SEND_POOL } from '../sync/bufferPool';
import { startTestRelay, testStore, type TestOrg } from '../testing';
import { connectAs, salesConversation } from './helpers';

describe('encodePooled', () => {
  it('splits text over chunks without cutting a character', () => {
    const pool = new BufferPool(4, 8);
    const text = 'ab😀cdé😀😀e"\\x'.repeat(5);
    const { views, chunks } = encodePooled(pool, text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(views).toString('utf8')).toBe(text);
    for (const c of chunks) pool.give(c);
    expect(pool.freeCount).toBe(4);
  });
});

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

describe('send buffers of catch-up parts', () => {
  // the SQLite store's path (PostgreSQL encodes its parts whole)
  it.runIf(testStore === 'sqlite')('all go back to the pool once the sockets wrote them', async () => {
    const o = (org = await startTestRelay());
    const admin = await connectAs(o, 'admin');
    const alice = await connectAs(o, 'alice');
    const { convId } = await salesConversation(o, admin, alice);
    const body = 'x'.repeat(400);
    for (let i = 0; i < 400; i++) await admin.mutate('addNote', { id: uuidv7(), conversationId: convId, body });
    await Promise.all([admin.close(), alice.close()]);
    const made = SEND_POOL.made;
    const free = SEND_POOL.freeCount;
    const clients = await Promise.all([connectAs(o, 'alice'), connectAs(o, 'admin'), connectAs(o, 'alice')]);
    for (const c of clients) expect(c.table('notes').length).toBe(400);
    const used = SEND_POOL.made - made;
    expect(used).toBeGreaterThan(0);
    // the sockets' write callbacks: a few turns of the event loop
    for (let i = 0; i < 100 && SEND_POOL.freeCount - free < used; i++) await new Promise((r) => setImmediate(r));
    expect(SEND_POOL.freeCount - free).toBe(used);
    await Promise.all(clients.map((c) => c.close()));
  });
});
