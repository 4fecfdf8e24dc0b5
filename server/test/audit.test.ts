// Issue 13 part 3 on the relay: activity rows reach exactly who may read the conversation, and
// the organisation's audit log (sign-ins, admin acts, visibility, exports) read by admins only
// through its HTTP routes, filtered, paginated, exported as CSV, pruned by its retention.
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditExport, auditPage, httpApi, type AuditPage, type AuditSearchRequest, type HttpRoute } from '../../shared/http';
import { startTestRelay, type TestOrg } from '../testing';
import { connectAs, salesConversation, visibilityVersionOf } from './helpers';
import type { WsTestClient } from './wsClient';

let org: TestOrg;
let admin: WsTestClient;
let alice: WsTestClient;
let carol: WsTestClient;
let adminToken: string;
let aliceToken: string;
beforeAll(async () => {
  org = await startTestRelay();
  [admin, alice, carol] = await Promise.all([connectAs(org, 'admin'), connectAs(org, 'alice'), connectAs(org, 'carol')]);
  adminToken = (await org.login('admin@test.parley')).accessToken;
  aliceToken = (await org.login('alice@test.parley')).accessToken;
});
afterAll(async () => {
  await Promise.all([admin, alice, carol].map((c) => c.close()));
  await org.relay.close();
});

const call = (route: HttpRoute, token: string | null, body?: unknown) =>
  fetch(`${org.relay.httpUrl}${route.path}`, {
    method: route.method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
async function search(q: AuditSearchRequest): Promise<AuditPage> {
  const res = await call(httpApi.auditLog, adminToken, q);
  expect(res.status).toBe(200);
  return auditPage.parse(await res.json());
}

describe('activity rows on the wire', () => {
  it('reach the readers of the conversation; a metadata-only admin and other groups never receive them', async () => {
    const { convId, msgId } = await salesConversation(org, admin, alice);
    await admin.waitFor('poke', () => admin.row('messages', msgId) !== undefined);
    // alice takes it and restricts it to herself: the admin keeps the metadata row only
    expect((await alice.mutate('manageConversation', { conversationId: convId, visibleTo: null, assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) })).status).toBe('ok');
    const r = await alice.mutate('manageConversation', { conversationId: convId, visibleTo: [org.alice.id], assignees: [org.alice.id], baseVisibilityVersion: await visibilityVersionOf(org, convId) });
    expect(r.status).toBe('ok');
    await admin.waitFor('poke', (p) => p.dels.some((d) => 'scope' in d && d.scope === `conv:${convId}`));
    const adminFrames = admin.frames.length;
    const carolFrames = carol.frames.length;
    expect((await alice.mutate('snoozeConversation', { conversationId: convId, until: null })).status).toBe('ok');
    await admin.waitFor('poke', () => admin.row('conversations', convId)?.snoozedBy === org.alice.id);
    // alice holds the timeline: the visibility change, the assignment, the snooze
    expect(alice.table('activities').filter((a) => a.conversationId === convId).map((a) => a.kind).sort()).toEqual(['assigned', 'snoozed', 'visibility']);
    expect(admin.table('activities').some((a) => a.conversationId === convId)).toBe(false);
    expect(admin.frames.slice(adminFrames).some((f) => f.type === 'poke' && f.puts.some((p) => p.t === 'activities'))).toBe(false);
    expect(carol.frames.slice(carolFrames).some((f) => f.type === 'poke' && f.puts.some((p) => p.t === 'activities'))).toBe(false);
    // a new device of the admin: still none of it
    const fresh = await connectAs(org, 'admin');
    expect(fresh.table('activities').some((a) => a.conversationId === convId)).toBe(false);
    await fresh.close();
    // the visibility change itself is in the audit log, naming the conversation by its contact only
    const page = await search({ action: 'visibilityChanged', limit: 50 });
    const entry = page.entries.find((e) => e.target === convId);
    expect(entry).toMatchObject({ actorId: org.alice.id, actorName: 'Alice', targetName: expect.stringMatching(/^Test Contact \(\+44/) as unknown, details: { added: [org.alice.id], removed: [], everyone: false } });
  });
});

describe('audit log routes', () => {
  it('refuse agents with a sentence (403) and anonymous callers (401)', async () => {
    const res = await call(httpApi.auditLog, aliceToken, {});
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: 'forbidden', message: 'Only admins can do this.' } });
    expect((await call(httpApi.exportAuditLog, aliceToken, {})).status).toBe(403);
    expect((await call(httpApi.setAuditRetention, aliceToken, { days: 30 })).status).toBe(403);
    expect((await call(httpApi.auditLog, null, {})).status).toBe(401);
  });

  it('records sign-ins and failed sign-ins with the address, never the password', async () => {
    const bad = await fetch(`${org.relay.httpUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bob@test.parley', password: 'wrong-horse-42' }) });
    expect(bad.status).toBe(401);
    await fetch(`${org.relay.httpUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@test.parley', password: 'wrong-horse-42' }) });
    const failed = await search({ action: 'signInFailed', limit: 10 });
    expect(failed.entries.map((e) => [e.actorName, e.targetName, e.details.reason])).toEqual([
      ['nobody@test.parley', 'nobody@test.parley', 'invalid_credentials'],
      ['Bob', 'Bob', 'invalid_credentials'],
    ]);
    expect(failed.entries[0]?.ip).toMatch(/127\.0\.0\.1/);
    const ins = await search({ action: 'signIn', actorId: org.alice.id, limit: 10 });
    expect(ins.entries.length).toBeGreaterThanOrEqual(1);
    expect(ins.entries.every((e) => e.actorId === org.alice.id)).toBe(true);
    const all = await search({ limit: 200 });
    expect(JSON.stringify(all)).not.toContain('wrong-horse-42');
    expect(JSON.stringify(all)).not.toContain(org.password);
  });

  it('filters by who, what and when; pages newest first without gaps or repeats', async () => {
    const from = Date.now();
    for (const role of ['admin', 'agent', 'admin'] as const) {
      expect((await admin.mutate('setUserRole', { userId: org.bob.id, role })).status).toBe('ok');
    }
    expect((await admin.mutate('setUserRole', { userId: org.bob.id, role: 'agent' })).status).toBe('ok');
    const roles = await search({ action: 'roleChanged', actorId: org.admin.id, from, limit: 50 });
    expect(roles.entries.map((e) => e.details.to)).toEqual(['agent', 'admin', 'agent', 'admin']);
    expect(roles.entries.every((e) => e.targetName === 'Bob')).toBe(true);
    expect((await search({ action: 'roleChanged', to: from, limit: 50 })).entries).toEqual([]);
    // two pages of two
    const first = await search({ action: 'roleChanged', from, limit: 2 });
    expect(first.next).not.toBeNull();
    const second = await search({ action: 'roleChanged', from, limit: 2, before: first.next ?? undefined });
    expect([...first.entries, ...second.entries].map((e) => e.id)).toEqual(roles.entries.map((e) => e.id));
    expect(second.next).toBeNull();
    // a filter that is not an action is refused with a sentence
    const bad = await call(httpApi.auditLog, adminToken, { action: 'drop table' });
    expect(bad.status).toBe(400);
    const err = (await bad.json()) as { error: { message: string } };
    expect(err.error.message).not.toMatch(/[{[]/);
  });

  it('exports the filtered log as CSV, and records the export', async () => {
    const res = await call(httpApi.exportAuditLog, adminToken, { action: 'roleChanged' });
    expect(res.status).toBe(200);
    const out = auditExport.parse(await res.json());
    const rows = Papa.parse<string[]>(out.csv.trim()).data;
    expect(rows[0]).toEqual(['time (UTC)', 'action', 'actor', 'actor id', 'target', 'target id', 'details', 'ip']);
    expect(rows.length - 1).toBe(out.count);
    expect(out.count).toBeGreaterThanOrEqual(4);
    expect(rows.slice(1).every((r) => r[1] === 'roleChanged' && r[2] === 'Admin' && r[4] === 'Bob')).toBe(true);
    const exports = await search({ action: 'exported', limit: 5 });
    expect(exports.entries[0]).toMatchObject({ actorId: org.admin.id, details: { what: 'audit log', count: out.count, action: 'roleChanged' } });
  });

  it('retention: refused below 30 days with a sentence; a change prunes older entries and is itself recorded', async () => {
    const bad = await call(httpApi.setAuditRetention, adminToken, { days: 3 });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('Keep the audit log for at least 30 days.');
    expect(await (await call(httpApi.auditRetention, adminToken)).json()).toEqual({ days: 365 });
    // an entry from 100 days ago
    const old = Date.now() - 100 * 24 * 3600_000;
    await org.relay.services.engine.audit.record({ actorId: org.admin.id, action: 'userCreated', target: 'old-user', targetName: 'Old', at: old });
    expect((await search({ to: old + 1, limit: 10 })).entries.map((e) => e.target)).toEqual(['old-user']);
    const set = await call(httpApi.setAuditRetention, adminToken, { days: 90 });
    expect(await set.json()).toEqual({ days: 90, pruned: 1 });
    expect((await search({ to: old + 1, limit: 10 })).entries).toEqual([]);
    expect((await search({ action: 'auditRetentionChanged', limit: 1 })).entries[0]).toMatchObject({ actorId: org.admin.id, details: { from: 365, to: 90 } });
    expect(await (await call(httpApi.auditRetention, adminToken)).json()).toEqual({ days: 90 });
  });

  it('records conversation deletion and an export from the app, naming the conversation by its contact', async () => {
    const { convId } = await salesConversation(org, admin, alice);
    expect((await admin.mutate('deleteConversation', { conversationId: convId })).status).toBe('ok');
    const del = (await search({ action: 'conversationDeleted', limit: 5 })).entries.find((e) => e.target === convId);
    expect(del?.targetName).toMatch(/^Test Contact \(\+44/);
    expect((await call(httpApi.recordExport, aliceToken, { what: 'contacts', count: 12 })).status).toBe(204);
    expect((await search({ action: 'exported', actorId: org.alice.id, limit: 1 })).entries[0]).toMatchObject({ targetName: 'Contacts', details: { what: 'contacts', count: 12 } });
    // a refused mutation leaves no entry
    const before = (await search({ action: 'roleChanged', limit: 200 })).entries.length;
    expect((await alice.mutate('setUserRole', { userId: org.bob.id, role: 'admin' })).status).toBe('rejected');
    expect((await search({ action: 'roleChanged', limit: 200 })).entries.length).toBe(before);
  });
});
