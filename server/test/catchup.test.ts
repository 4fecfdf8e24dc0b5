// Catch-up after a disconnect; reset when the cookie predates the change log's retention
// or the user's groups changed.
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, testStore, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from './helpers';
import { CatchUpStream, PAGE_ROWS } from '../sync/catchup';
import { tableNames, type Contact } from '../../shared/schema';
import { decodeRow, rowJsonSelect, rowJsonSupported, sqlNamesOf } from '../../shared/store/rowStore';

let org: TestOrg | null = null;
afterEach(async () => {
  await org?.relay.close();
  org = null;
});

describe('catch-up', () => {
  // the SQLite store's fast path (PostgreSQL decodes and encodes)
  it.runIf(testStore === 'sqlite')('rows made JSON by SQLite are exactly the decoded rows (booleans, JSON columns, nulls, every table)', async () => {
    const o = (org = await startTestRelay());
    const admin = await connectAs(o, 'admin');
    await admin.mutate('createContact', { id: uuidv7(), name: 'Quote "me" \\ é 😀', phone: '+447700900611', notes: 'line\nbreak' });
    const opted = uuidv7();
    await admin.close();
    await o.relay.services.engine.write((tx) => {
      const base: Contact = { id: opted, name: 'Opted', phone: '+447700900612', email: null, tags: ['vip', 'a"b'], notes: '', optedOut: true, defaultVisibleTo: ['u1'], defaultAssignees: [], createdAt: 1, updatedAt: 2, version: 0 };
      tx.put('contacts', base);
      for (let i = 0; i < 10; i++) tx.put('contacts', { ...base, id: uuidv7(), phone: `+4477009007${String(i).padStart(2, '0')}`, optedOut: i % 2 === 0, tags: [], defaultVisibleTo: null, email: i % 3 ? `x${i}@y.z` : null });
    });
    const store = o.relay.services.engine.store;
    let compared = 0;
    for (const t of tableNames) {
      if (!rowJsonSupported(t)) continue;
      const name = sqlNamesOf(t).table;
      const made = await store.all<{ _json: string; _rid: number }>(`SELECT rowid AS _rid, ${rowJsonSelect(t)} FROM "${name}" ORDER BY rowid`);
      const raws = await store.all<Record<string, unknown>>(`SELECT * FROM "${name}" ORDER BY rowid`);
      expect(made.map((m) => JSON.parse(m._json) as unknown)).toEqual(raws.map((r) => JSON.parse(JSON.stringify(decodeRow(t, r))) as unknown));
      compared += raws.length;
    }
    expect(compared).toBeGreaterThan(20);
  });

  it('streams only the rows the viewer may read, exactly as stored, in parts of at most partRows entries (full and since a cookie)', async () => {
    const o = (org = await startTestRelay());
    const admin = await connectAs(o, 'admin');
    const alice = await connectAs(o, 'alice');
    const sales = (await salesConversation(o, admin, alice)).convId;
    const support = uuidv7();
    const contactId = uuidv7();
    expect((await admin.mutate('createContact', { id: contactId, name: 'Support contact', phone: '+447700900655' })).status).toBe('ok');
    expect((await admin.mutate('sendMessage', { id: uuidv7(), contactId, groupId: o.groups.support.id, newConversationId: support, channel: 'sms', body: 'hi' })).status).toBe('ok');
    const engine = o.relay.services.engine;
    const since = engine.version();
    const salesNotes: string[] = [];
    // interleaved: runs of rows alice may read are cut by rows she may not
    for (let i = 0; i < 40; i++) {
      const id = uuidv7();
      const mine = i % 5 !== 2;
      if (mine) salesNotes.push(id);
      expect((await admin.mutate('addNote', { id, conversationId: mine ? sales : support, body: `note ${i} "quoted" \\ é 😀` })).status).toBe('ok');
    }
    await Promise.all([admin.close(), alice.close()]);
    const viewer = { id: o.alice.id, role: 'agent' as const, groupIds: new Set([o.groups.sales.id]) };
    for (const cookie of [null, since]) {
      const stream = new CatchUpStream(engine, viewer, cookie, 7);
      const sizes: number[] = [];
      const notes: { id: string }[] = [];
      while (!stream.done) {
        for (const part of await stream.step()) {
          const p = JSON.parse(part.body.toString('utf8')) as { puts: { t: string; r: { id: string } }[]; dels: unknown[] };
          sizes.push(p.puts.length + p.dels.length);
          for (const x of p.puts) if (x.t === 'notes') notes.push(x.r);
        }
      }
      expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
      expect(sizes.at(-1)).toBeLessThanOrEqual(7);
      expect(notes.map((n) => n.id).sort()).toEqual([...salesNotes].sort());
      for (const n of notes) {
        const raw = await engine.store.get<Record<string, unknown>>(`SELECT * FROM "${sqlNamesOf('notes').table}" WHERE id = ?`, [n.id]);
        expect(n).toEqual(JSON.parse(JSON.stringify(decodeRow('notes', raw as Record<string, unknown>))));
      }
      // parts bounded by bytes too (a WebSocket message stays a small heap object on both ends):
      // a part holds more entries only while it is about under the limit, a single entry may exceed it
      const LIMIT = 1500;
      const byBytes = new CatchUpStream(engine, viewer, cookie, 1000, LIMIT);
      const bodies: { bytes: number; entries: number; largest: number }[] = [];
      const again: string[] = [];
      while (!byBytes.done) {
        for (const part of await byBytes.step()) {
          const body = part.body.toString('utf8');
          const p = JSON.parse(body) as { puts: { t: string; r: { id: string } }[]; dels: unknown[] };
          const entries = [...p.puts, ...p.dels].map((e) => JSON.stringify(e).length);
          bodies.push({ bytes: body.length, entries: entries.length, largest: Math.max(0, ...entries) });
          for (const x of p.puts) if (x.t === 'notes') again.push(x.r.id);
        }
      }
      expect(bodies.length).toBeGreaterThan(3);
      // (a run SQLite makes is sized by the entries read so far: a little over when these are longer)
      for (const b of bodies) expect(b.entries === 1 || b.bytes <= LIMIT * 1.25).toBe(true);
      expect(again.sort()).toEqual([...salesNotes].sort());
    }
  });

  it('sends only changes and deletes since the cookie', async () => {
    const o = (org = await startTestRelay());
    const admin = await connectAs(o, 'admin');
    const keep = uuidv7();
    const gone = uuidv7();
    await admin.mutate('createContact', { id: keep, name: 'Keep', phone: '+447700900601' });
    await admin.mutate('createContact', { id: gone, name: 'Gone', phone: '+447700900602' });
    const alice = await connectAs(o, 'alice');
    expect(alice.row('contacts', gone)).toBeDefined();
    const { cookie, clientId } = alice;
    await alice.close();
    await admin.mutate('deleteContact', { id: gone });
    const fresh = uuidv7();
    await admin.mutate('createContact', { id: fresh, name: 'Fresh', phone: '+447700900603' });
    const back = await connectAs(o, 'alice', { cookie, clientId });
    expect(back.all('reset')).toHaveLength(0);
    const poke = back.all('poke')[0];
    expect(poke?.dels).toContainEqual({ t: 'contacts', id: gone });
    expect(poke?.puts.map((p) => p.r.id)).toEqual([fresh]);
    await Promise.all([admin.close(), back.close()]);
  });

  it('pages through many changes across versions (one version bigger than a page): each row once, in version order', async () => {
    const o = (org = await startTestRelay());
    const engine = o.relay.services.engine;
    const since = engine.version();
    const contact = (id: string, name: string): Contact => ({
      id, name, phone: '+447700900999', email: null, tags: [], notes: '', optedOut: false, defaultVisibleTo: null, defaultAssignees: [], createdAt: 1, updatedAt: 1, version: 0,
    });
    // versions of 1, PAGE_ROWS + 7, 3 and PAGE_ROWS rows; then rows of the first version written again
    const sizes = [1, PAGE_ROWS + 7, 3, PAGE_ROWS];
    let n = 0;
    for (const size of sizes) {
      await engine.write((tx) => {
        for (let i = 0; i < size; i++) tx.put('contacts', contact(`bulk-${n++}`, 'first'));
      });
    }
    await engine.write((tx) => tx.put('contacts', contact('bulk-0', 'again')));
    const stream = new CatchUpStream(engine, { id: o.admin.id, role: 'admin', groupIds: new Set() }, since, 10 * PAGE_ROWS);
    const ids: string[] = [];
    const versions: number[] = [];
    while (!stream.done) {
      for (const part of await stream.step()) {
        const p = JSON.parse(part.body.toString('utf8')) as { puts: { t: string; r: { id: string; version: number } }[] };
        for (const x of p.puts) {
          if (x.t !== 'contacts') continue;
          ids.push(x.r.id);
          versions.push(x.r.version);
        }
      }
    }
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    expect(ids.at(-1)).toBe('bulk-0'); // now at the newest version
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('sends reset then everything when the cookie predates retention', async () => {
    const o = (org = await startTestRelay({ changeLogRetention: 2 }));
    const alice = await connectAs(o, 'alice');
    const { cookie, clientId } = alice;
    await alice.close();
    const admin = await connectAs(o, 'admin');
    for (let i = 0; i < 4; i++) await admin.mutate('createContact', { id: uuidv7(), name: `C${i}`, phone: `+44770090070${i}` });
    const back = await connectAs(o, 'alice', { cookie, clientId });
    expect(back.all('reset')).toHaveLength(1);
    const poke = back.all('poke')[0];
    expect(poke?.baseCookie).toBeNull();
    expect(back.table('contacts')).toHaveLength(4);
    expect(back.table('users').length).toBeGreaterThan(3);
    await Promise.all([admin.close(), back.close()]);
  });

  it('sends reset when the user joined a group while offline', async () => {
    const o = (org = await startTestRelay());
    const carol = await connectAs(o, 'carol');
    const { cookie, clientId } = carol;
    await carol.close();
    await o.relay.admin.addMember(o.groups.sales.id, o.carol.id);
    const back = await connectAs(o, 'carol', { cookie, clientId });
    expect(back.all('reset')).toHaveLength(1);
    await back.close();
  });
  // Audience changes while a user is offline must not leave a conversation in their replica.
  describe('scopes that leave while offline', () => {
    it('sends {scope} for a conversation restricted away and then deleted', async () => {
      const o = (org = await startTestRelay());
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const { convId } = await salesConversation(o, admin, alice);
      await alice.waitFor('poke', () => alice.row('conversations', convId) !== undefined);
      const { cookie, clientId } = alice;
      await alice.close();
      expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [o.bob.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(o, convId) })).status).toBe('ok');
      expect((await admin.mutate('deleteConversation', { conversationId: convId })).status).toBe('ok');
      const back = await connectAs(o, 'alice', { cookie, clientId });
      expect(back.all('reset')).toHaveLength(0);
      expect(back.all('poke').flatMap((p) => p.dels)).toContainEqual({ scope: `conv:${convId}` });
      await Promise.all([admin.close(), back.close()]);
    });

    it('sends {scope} for a conversation restricted away, opened again and restricted again', async () => {
      const o = (org = await startTestRelay());
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const { convId } = await salesConversation(o, admin, alice);
      await alice.waitFor('poke', () => alice.row('conversations', convId) !== undefined);
      const { cookie, clientId } = alice;
      await alice.close();
      for (const visibleTo of [[o.bob.id], null, [o.bob.id]]) {
        expect((await admin.mutate('manageConversation', { conversationId: convId, visibleTo, assignees: [], baseVisibilityVersion: await visibilityVersionOf(o, convId) })).status).toBe('ok');
      }
      const back = await connectAs(o, 'alice', { cookie, clientId });
      const pokes = back.all('poke');
      expect(pokes.flatMap((p) => p.dels)).toContainEqual({ scope: `conv:${convId}` });
      expect(pokes.flatMap((p) => p.puts).some((p) => p.t === 'conversations' && p.r.id === convId)).toBe(false);
      await Promise.all([admin.close(), back.close()]);
    });

    it('resets a user removed from the group before the conversation was deleted', async () => {
      const o = (org = await startTestRelay());
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const { convId } = await salesConversation(o, admin, alice);
      await alice.waitFor('poke', () => alice.row('conversations', convId) !== undefined);
      const { cookie, clientId } = alice;
      await alice.close();
      expect((await admin.mutate('removeMember', { groupId: o.groups.sales.id, userId: o.alice.id })).status).toBe('ok');
      expect((await admin.mutate('deleteConversation', { conversationId: convId })).status).toBe('ok');
      const back = await connectAs(o, 'alice', { cookie, clientId });
      expect(back.all('reset')).toHaveLength(1);
      expect(back.all('poke')[0]?.baseCookie).toBeNull();
      expect(back.row('conversations', convId)).toBeUndefined();
      await Promise.all([admin.close(), back.close()]);
    });

    it('sends {scope} for a deleted chat to its members', async () => {
      const o = (org = await startTestRelay());
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const chatId = uuidv7();
      expect((await alice.mutate('createChat', { id: chatId, members: [o.alice.id, o.bob.id] })).status).toBe('ok');
      const { cookie, clientId } = alice;
      await alice.close();
      expect((await admin.mutate('deleteChat', { chatId })).status).toBe('ok');
      const back = await connectAs(o, 'alice', { cookie, clientId });
      expect(back.all('poke').flatMap((p) => p.dels)).toContainEqual({ scope: `chat:${chatId}` });
      await Promise.all([admin.close(), back.close()]);
    });
  });
});
