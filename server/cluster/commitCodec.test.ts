import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from '../test/helpers';
import type { Commit } from '../sync/engine';
import { emptyChangeSet, rowKey, type ChangeSet } from '../sync/changeSet';
import { bigNotice, decodeCommit, encodeCommit } from './commitCodec';

/** Maps and Sets as plain arrays, to compare two change sets. */
const plain = (cs: ChangeSet) => ({
  version: cs.version,
  puts: [...cs.puts],
  dels: [...cs.dels],
  visibility: [...cs.visibility],
  viewerChanges: [...cs.viewerChanges].sort(),
  deactivated: [...cs.deactivated].sort(),
});
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('commit notices between relays', () => {
  let org: TestOrg;
  const commits: Commit[] = [];
  beforeAll(async () => {
    org = await startTestRelay();
    org.relay.services.engine.onCommit((c) => {
      commits.push(c);
    });
    // real commits of every kind: rows, a user's role and groups, a deactivation, an audience change
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId } = await salesConversation(org, admin, alice);
    const r = await admin.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(r.status).toBe('ok');
    await org.relay.admin.createUser({ email: 'erin@test.parley', name: 'Erin', role: 'agent', password: 'correct horse battery', groupIds: [org.groups.sales.id] });
    await org.relay.admin.deactivateUser(org.bob.id);
    await admin.close();
    await alice.close();
  });
  afterAll(async () => {
    await org.relay.close();
  });

  it('carries every real change set whole: rows, deletes, audiences, viewer changes, deactivations', () => {
    const written = commits.filter((c) => c.changes.version > 0);
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(written.some((c) => c.changes.visibility.size > 0)).toBe(true);
    expect(written.some((c) => c.changes.deactivated.size > 0)).toBe(true);
    expect(written.some((c) => c.changes.viewerChanges.size > 0)).toBe(true);
    for (const c of written) {
      const d = decodeCommit(encodeCommit(c.changes, c.changes.version - 1));
      if (!d.ok) throw new Error(d.error);
      expect(d.notice.big).toBe(false);
      expect(d.notice.prev).toBe(c.changes.version - 1);
      expect(d.notice.version).toBe(c.changes.version);
      if (d.notice.big) continue;
      expect(plain(d.notice.changes)).toEqual(plain(c.changes));
    }
  });

  it('sends a change set over the size limit as its versions only', () => {
    const cs = emptyChangeSet();
    cs.version = 42;
    for (let i = 0; i < 3; i++) {
      const id = `label-${i}`;
      cs.puts.set(rowKey('labels', id), { t: 'labels', id, scope: 'org', row: { id, name: 'x'.repeat(200), color: 'red', createdAt: 1, version: 42 } });
    }
    const small = decodeCommit(encodeCommit(cs, 41, 1_000_000));
    if (!small.ok) throw new Error(small.error);
    expect(small.notice.big).toBe(false);
    const big = decodeCommit(encodeCommit(cs, 41, 300));
    expect(big).toEqual({ ok: true, notice: { prev: 41, version: 42, big: true } });
    expect(encodeCommit(cs, 41, 300).length).toBeLessThan(100);
    // so many rows that they cannot fit: not even encoded
    const many = emptyChangeSet();
    many.version = 9;
    for (let i = 0; i < 10; i++) many.dels.set(rowKey('notes', `n${i}`), { t: 'notes', id: `n${i}`, scope: 'org' });
    expect(decodeCommit(encodeCommit(many, 8, 359))).toEqual({ ok: true, notice: { prev: 8, version: 9, big: true } });
    expect(decodeCommit(encodeCommit(many, 8, 1000))).toMatchObject({ ok: true, notice: { big: false } });
    expect(decodeCommit(bigNotice(7, 9))).toEqual({ ok: true, notice: { prev: 7, version: 9, big: true } });
  });

  it('refuses malformed notices with a sentence, never a throw', () => {
    const cases: [string, RegExp][] = [
      ['not json', /not valid JSON/],
      ['{"v":1,"prev":1,"version":2}', /malformed/],
      ['{"v":2,"prev":1,"version":2,"big":true}', /malformed/],
      ['{"v":1,"prev":5,"version":5,"big":true}', /does not follow/],
      ['{"v":1,"prev":1,"version":2,"big":true,"extra":1}', /malformed/],
      ['{"v":1,"prev":1,"version":2,"puts":[{"t":"nope","id":"a","scope":"org","row":{}}],"dels":[],"visibility":[],"viewerChanges":[],"deactivated":[]}', /malformed/],
      ['{"v":1,"prev":1,"version":2,"puts":[{"t":"labels","id":"a","scope":"nowhere","row":{}}],"dels":[],"visibility":[],"viewerChanges":[],"deactivated":[]}', /malformed/],
      ['{"v":1,"prev":1,"version":2,"puts":[{"t":"labels","id":"a","scope":"org","row":{"id":"a"}}],"dels":[],"visibility":[],"viewerChanges":[],"deactivated":[]}', /malformed labels row/],
      ['{"v":1,"prev":1,"version":2,"puts":[],"dels":[],"visibility":[["conv:a",{"before":{"kind":"room"},"after":null}]],"viewerChanges":[],"deactivated":[]}', /malformed/],
    ];
    for (const [text, error] of cases) {
      const d = decodeCommit(bytes(text));
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.error).toMatch(error);
    }
  });
});
