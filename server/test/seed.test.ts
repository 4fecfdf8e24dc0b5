// The demo seed: the promised organisation, consistent with the product's invariants.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRelay, type Relay } from '../relay';
import { DEMO_PASSWORD } from '../seed/demo';
import { businessHoursProblem } from '../../shared/domain/sla';
import { dropTestDatabase, login, testDatabaseUrl, testStore } from '../testing';
import { WsTestClient } from './wsClient';

const dir = mkdtempSync(join(tmpdir(), 'parley-seed-'));
// PostgreSQL (PARLEY_TEST_STORE=postgres): a second relay has its own data dir on the same database
const secondDir = testStore === 'postgres' ? mkdtempSync(join(tmpdir(), 'parley-seed-')) : dir;
let relay: Relay;
let databaseUrl: string | undefined;
beforeAll(async () => {
  databaseUrl = await testDatabaseUrl(dir);
  relay = await startRelay({ dataDir: dir, databaseUrl, port: 0, seed: 'demo' });
});
afterAll(async () => {
  await relay.close();
  await dropTestDatabase(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  rmSync(secondDir, { recursive: true, force: true, maxRetries: 5 });
});

describe('demo seed', () => {
  it('creates the demo organisation', async () => {
    const store = relay.services.engine.store.rows;
    expect(await relay.services.engine.meta.get('orgName')).toBe('Parley Demo');
    expect((await store.find('groups', {})).map((g) => g.name).sort()).toEqual(['Sales', 'Support']);
    for (const g of (await store.find('groups', {}))) {
      expect(g.smsNumber).toMatch(/^\+44/);
      expect(g.whatsappNumber).toMatch(/^\+44/);
      expect(g.templates).toHaveLength(2);
    }
    // both teams have a first-response target the app can show (Support only in business hours)
    const groups = new Map((await store.find('groups', {})).map((g) => [g.name, g]));
    expect(groups.get('Sales')).toMatchObject({ slaFirstResponseMinutes: 240, businessHours: null });
    expect(groups.get('Support')?.slaFirstResponseMinutes).toBe(60);
    const hours = groups.get('Support')?.businessHours;
    expect(hours).toBeTruthy();
    expect(hours && businessHoursProblem(hours)).toBeNull();
    expect(hours?.days.sat).toBeUndefined();
    expect((await store.find('users', {})).map((u) => u.email).sort()).toEqual(['admin@parley.test', 'amira@parley.test', 'ben@parley.test', 'chloe@parley.test']);
    const contacts = (await store.find('contacts', {}));
    expect(contacts).toHaveLength(50);
    expect(contacts.every((c) => /^\+447700900\d{3}$/.test(c.phone))).toBe(true);
    const convs = (await store.find('conversations', {}));
    expect(convs).toHaveLength(200);
    const open = convs.filter((c) => c.status === 'open');
    expect(new Set(open.map((c) => `${c.contactId}:${c.groupId}`)).size).toBe(open.length);
    const messages = (await store.find('messages', {}));
    expect(new Set(messages.map((m) => m.channel))).toEqual(new Set(['sms', 'whatsapp']));
    expect(new Set(messages.map((m) => m.direction))).toEqual(new Set(['inbound', 'outbound']));
    expect((await store.find('notes', {})).length).toBeGreaterThan(10);
    const invoices = (await store.find('invoices', {}));
    expect(invoices.some((i) => i.status === 'paid')).toBe(true);
    expect(invoices.some((i) => i.status === 'sent')).toBe(true);
    const archived = new Set(convs.filter((c) => c.status === 'archived').map((c) => c.id));
    expect(invoices.filter((i) => i.status === 'sent' && archived.has(i.conversationId))).toEqual([]);
    expect((await store.find('checkouts', {})).length).toBeGreaterThan(0);
    expect((await store.find('chats', {})).length).toBeGreaterThanOrEqual(3);
    expect((await store.find('chatMessages', {})).length).toBeGreaterThan(10);
    for (const chat of (await store.find('chats', {}))) {
      const bodies = (await store.find('chatMessages', { chatId: chat.id })).map((m) => m.body);
      expect(new Set(bodies).size).toBe(bodies.length);
    }
  });

  it('leaves only the recent conversations unread', async () => {
    const store = relay.services.engine.store.rows;
    const admin = (await store.find('users', { email: 'admin@parley.test' }))[0];
    const reads = new Map((await store.find('readStates', { userId: admin?.id ?? '' })).map((r) => [r.targetId, r.lastReadAt]));
    const open = (await store.find('conversations', { status: 'open' }));
    const unread = open.filter((c) => (reads.get(c.id) ?? 0) < c.lastActivityAt);
    expect(unread.length).toBeGreaterThan(0);
    expect(unread.length).toBeLessThan(open.length / 2);
  });

  it('lets the demo agents sign in and sync', async () => {
    const s = await login(relay.httpUrl, 'amira@parley.test', DEMO_PASSWORD);
    const c = await WsTestClient.synced(relay.wsUrl, s.accessToken);
    const convs = c.table('conversations');
    expect(convs.length).toBeGreaterThan(50);
    const sales = (await relay.services.engine.store.rows.find('groups', { name: 'Sales' }))[0];
    expect(convs.every((x) => x.groupId === sales?.id)).toBe(true);
    await c.close();
  });
  it('is idempotent: a relay started again with --seed demo on the same store finds the organisation', async () => {
    const users = (await relay.services.engine.store.rows.find('users', {})).length;
    await relay.close();
    relay = await startRelay({ dataDir: secondDir, databaseUrl, port: 0, seed: 'demo' });
    expect((await relay.services.engine.store.rows.find('users', {})).length).toBe(users);
    expect(await relay.services.engine.store.rows.count('groups', {})).toBe(2);
  });
});
