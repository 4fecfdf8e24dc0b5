// The contract of the relay's storage seam (types.ts), one suite run against each store
// (sqlite.test.ts, postgres.test.ts): serialized writes, rollback of a failed write, savepoints
// inside `sync`, readers that never see a write in progress, one snapshot per `read`.
import { describe, expect, it } from 'vitest';
import type { RowOf } from '../../shared/schema';
import type { RelayStore } from './types';

export const group = (id: string, name: string): RowOf<'groups'> => ({
  id, name, smsNumber: null, whatsappNumber: null, templates: [], createdAt: 1, paymentInstructions: '',
  channelProviders: { sms: null, whatsapp: null }, slaFirstResponseMinutes: null, businessHours: null, slaHistory: [], autoAssign: 'off', autoAssignCapacity: 5, autoAssignLast: null, version: 1,
});

/** resolves when `released` is called: a write that waits for the test */
export function gate(): { wait: Promise<void>; release: () => void } {
  let release = () => undefined as void;
  const wait = new Promise<void>((r) => (release = r));
  return { wait, release };
}

/**
 * The shared cases. `open` gives a fresh, empty store for one test; the caller's own hooks close
 * and remove it.
 */
export function storeContract(name: string, open: () => Promise<RelayStore>): void {
  describe(`${name}: the storage seam`, () => {
    it('serializes writes: a second write starts only once the first committed, and sees its version', async () => {
      const store = await open();
      const g = gate();
      const firstIn = gate();
      const order: string[] = [];
      const first = store.write(async (tx) => {
        order.push(`first begins at ${tx.version}`);
        await tx.run("INSERT INTO meta (key, value) VALUES ('version', '7') ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        firstIn.release();
        await g.wait;
        order.push('first ends');
      });
      await firstIn.wait;
      const second = store.write(async (tx) => {
        order.push(`second begins at ${tx.version}`);
      });
      // the second is queued behind the first, which waits for the gate
      await new Promise((r) => setImmediate(r));
      expect(order).toEqual(['first begins at 0']);
      g.release();
      await Promise.all([first, second]);
      expect(order).toEqual(['first begins at 0', 'first ends', 'second begins at 7']);
    });

    it('rolls back a failed write and stays usable', async () => {
      const store = await open();
      await expect(
        store.write(async (tx) => {
          await tx.sync((rows) => rows.put('groups', group('g1', 'Sales')));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.rows.get('groups', 'g1')).toBeUndefined();
      await store.write(async (tx) => tx.sync((rows) => rows.put('groups', group('g1', 'Sales'))));
      expect((await store.rows.get('groups', 'g1'))?.name).toBe('Sales');
    });

    it('drops what a throwing sync callback wrote, keeps the rest of the transaction', async () => {
      const store = await open();
      await store.write(async (tx) => {
        await tx.sync((rows) => rows.put('groups', group('kept', 'Kept')));
        await expect(
          tx.sync((rows) => {
            rows.put('groups', group('dropped', 'Dropped'));
            rows.exec("INSERT INTO meta (key, value) VALUES ('orgName', 'x')");
            if (rows.get('groups', 'dropped')?.name !== 'Dropped') throw new Error('a run must read its own writes');
            throw new Error('refused');
          }),
        ).rejects.toThrow('refused');
        // the transaction goes on after the refusal
        await tx.sync((rows) => rows.exec("INSERT INTO meta (key, value) VALUES ('orgName', 'after')"));
      });
      expect(await store.rows.get('groups', 'kept')).toBeDefined();
      expect(await store.rows.get('groups', 'dropped')).toBeUndefined();
      expect(await store.get<{ value: string }>('SELECT value FROM meta WHERE key = ?', ['orgName'])).toEqual({ value: 'after' });
    });

    it('never shows readers a write in progress', async () => {
      const store = await open();
      const g = gate();
      const inside = gate();
      const w = store.write(async (tx) => {
        await tx.sync((rows) => rows.put('groups', group('g1', 'Sales')));
        expect((await tx.rows.get('groups', 'g1'))?.name).toBe('Sales');
        inside.release();
        await g.wait;
      });
      await inside.wait;
      expect(await store.rows.get('groups', 'g1')).toBeUndefined();
      expect(await store.read((r) => r.rows.find('groups', {}))).toEqual([]);
      g.release();
      await w;
      expect((await store.rows.get('groups', 'g1'))?.name).toBe('Sales');
    });

    it('keeps one snapshot across the reads of `read`', async () => {
      const store = await open();
      const seen = await store.read(async (r) => {
        const before = await r.rows.count('groups', {});
        await store.write(async (tx) => tx.sync((rows) => rows.put('groups', group('g1', 'Sales'))));
        const after = await r.rows.count('groups', {});
        return { before, after };
      });
      expect(seen).toEqual({ before: 0, after: 0 });
      expect(await store.rows.count('groups', {})).toBe(1);
    });

    it('runs a write outside `write` in its own transaction', async () => {
      const store = await open();
      expect(await store.run('INSERT INTO meta (key, value) VALUES (?, ?)', ['orgName', 'Acme'])).toBe(1);
      expect(await store.get('SELECT value FROM meta WHERE key = ?', ['orgName'])).toEqual({ value: 'Acme' });
    });
  });
}
