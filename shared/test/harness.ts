// Test harness for mutators: a real SQLite file in a temp dir, migrated with the
// relay's migrations, a RowStore as the Tx, each mutation in one transaction.
import Database from 'better-sqlite3';
import { migrateChecked } from '../../drizzle/migrations';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { mutators, type AnyMutator, type MutationArgs, type MutationName } from '../mutators';
import type { ChannelProviders, Contact, Conversation, Role, User } from '../schema';
import { RowStore } from '../store/rowStore';
import { MutationError, type AuditAction, type AuditEntryInfo, type MutationErrorCode, type MutatorContext, type ServerEffect } from '../tx';

export const SYSTEM = 'system';
export const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);

export interface Harness {
  db: Database.Database;
  tx: RowStore;
  now: number;
  /** what the mutations recorded through ctx.audit (committed ones only), oldest first */
  audits: { action: AuditAction; actorId: string; target: string; entry: AuditEntryInfo | undefined }[];
  /** advance the clock by ms */
  tick(ms?: number): number;
  run<N extends MutationName>(name: N, as: string, args: MutationArgs<N>): ServerEffect[];
  refused<N extends MutationName>(name: N, as: string, args: MutationArgs<N>): { code: MutationErrorCode; message: string };
  user(id: string, f?: { role?: Role; active?: boolean; groups?: string[]; name?: string }): User;
  group(id: string, f?: { templates?: { name: string; language: string; body: string }[]; channelProviders?: ChannelProviders }): void;
  contact(id: string, phone: string, f?: Partial<Contact>): Contact;
  conv(id: string): Conversation;
  close(): void;
}

export function createHarness(): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'parley-domain-'));
  const db = new Database(join(dir, 'relay.db'));
  db.pragma('journal_mode = WAL');
  migrateChecked(db, 'drizzle/server', 'The test database');
  const tx = new RowStore(db);
  let ids = 0;
  const h: Harness = {
    db,
    tx,
    now: T0,
    audits: [],
    tick(ms = 1000) {
      h.now += ms;
      return h.now;
    },
    run(name, as, rawArgs) {
      // The registry is keyed by name; the parsed args match that name's schema.
      const def = mutators[name] as unknown as AnyMutator;
      const parsed: unknown = def.args.parse(rawArgs);
      const effects: ServerEffect[] = [];
      const user = tx.get('users', as);
      const ctx: MutatorContext = {
        userId: as,
        role: as === SYSTEM ? 'admin' : (user?.role ?? 'agent'),
        now: h.now,
        side: 'server',
        newId: () => `gen-${String(++ids).padStart(4, '0')}`,
        effect: (e) => effects.push(e),
        audit: (action, target, entry) => audits.push({ action, actorId: as, target, entry }),
      };
      const audits: Harness['audits'] = [];
      db.transaction(() => def.run(tx, ctx, parsed))();
      h.audits.push(...audits);
      return effects;
    },
    refused(name, as, args) {
      try {
        h.run(name, as, args);
      } catch (e) {
        if (e instanceof MutationError) return { code: e.code, message: e.message };
        throw e;
      }
      throw new Error(`${name} as ${as} was expected to be refused`);
    },
    user(id, f = {}) {
      const u: User = { id, name: f.name ?? id, email: `${id}@example.com`, role: f.role ?? 'agent', active: f.active ?? true, createdAt: T0, accepting: true, version: 0 };
      tx.put('users', u);
      for (const g of f.groups ?? []) tx.put('memberships', { id: `${g}:${id}`, groupId: g, userId: id, version: 0 });
      return u;
    },
    group(id, f = {}) {
      tx.put('groups', { id, name: id, smsNumber: '+447700900001', whatsappNumber: '+447700900002', templates: f.templates ?? [], createdAt: T0, paymentInstructions: '',
        channelProviders: f.channelProviders ?? { sms: 'simulator', whatsapp: 'simulator' }, slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 0 });
    },
    contact(id, phone, f = {}) {
      const c: Contact = {
        id, name: f.name ?? id, phone, email: null, tags: [], notes: '', optedOut: false, defaultVisibleTo: null, defaultAssignees: [],
        createdAt: T0, updatedAt: T0, version: 0, ...f,
      };
      tx.put('contacts', c);
      return c;
    },
    conv(id) {
      const c = tx.get('conversations', id);
      expect(c, `conversation ${id}`).toBeDefined();
      return c as Conversation;
    },
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
  return h;
}

/**
 * The standard cast: groups sales and support; admin (both groups, role admin), alice
 * and bob (sales), carol (support), dave (sales, deactivated); contact "pat".
 */
export function standardOrg(h: Harness): void {
  h.group('sales', { templates: [{ name: 'hello', language: 'en', body: 'Hello from Parley' }] });
  h.group('support');
  h.user('admin', { role: 'admin', groups: ['sales', 'support'] });
  h.user('alice', { groups: ['sales'] });
  h.user('bob', { groups: ['sales'] });
  h.user('carol', { groups: ['support'] });
  h.user('dave', { groups: ['sales'], active: false });
  h.contact('pat', '+447700900123', { name: 'Pat' });
}
