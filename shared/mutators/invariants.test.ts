// Random sequences of mutations by random users: whatever is accepted or refused,
// the product's invariants hold, and the same sequence always gives the same rows.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tableNames } from '../schema';
import { createHarness, standardOrg, SYSTEM, type Harness } from '../test/harness';
import { MutationError } from '../tx';
import type { MutationName } from './index';

const users = ['admin', 'alice', 'bob', 'carol', 'dave'];
const contacts = ['pat', 'sam'];
const phones: Record<string, string> = { pat: '+447700900123', sam: '+447700900456' };
const groups = ['sales', 'support'];
const HOUR = 3600_000;

interface Op {
  name: MutationName;
  as: string;
  args: (h: Harness, n: number) => Record<string, unknown>;
  tick: number;
}

/** Picks an existing conversation (or a made-up id) by index. */
const convAt = (h: Harness, i: number) => {
  const all = h.tx.find('conversations', {}).sort((a, b) => (a.id < b.id ? -1 : 1));
  return all.length ? (all[i % all.length]?.id as string) : 'none';
};
const invoiceAt = (h: Harness, i: number) => {
  const all = h.tx.find('invoices', {}).sort((a, b) => (a.id < b.id ? -1 : 1));
  return all.length ? (all[i % all.length]?.id as string) : 'none';
};

const opArb: fc.Arbitrary<Op> = fc
  .record({
    kind: fc.integer({ min: 0, max: 11 }),
    user: fc.constantFrom(...users),
    contact: fc.constantFrom(...contacts),
    group: fc.constantFrom(...groups),
    channel: fc.constantFrom('sms' as const, 'whatsapp' as const),
    pick: fc.nat(50),
    who: fc.subarray(['admin', 'alice', 'bob', 'carol'], { minLength: 1 }),
    nullVis: fc.boolean(),
    tick: fc.constantFrom(1000, HOUR, 30 * HOUR),
  })
  .map((r): Op => {
    const base = { as: r.user, tick: r.tick };
    switch (r.kind) {
      case 0:
      case 1:
        return { ...base, as: SYSTEM, name: 'receiveInbound', args: () => ({ groupId: r.group, channel: r.channel, from: phones[r.contact], body: r.pick % 7 === 0 ? 'STOP' : 'hello' }) };
      case 2:
        return { ...base, name: 'sendMessage', args: (h, n) => ({ id: `m${n}`, contactId: r.contact, groupId: r.group, channel: r.channel, body: 'hi', newConversationId: `c${n}`, ...(r.pick % 2 ? { conversationId: convAt(h, r.pick) } : {}) }) };
      case 3:
        return { ...base, name: 'archiveConversation', args: (h) => ({ conversationId: convAt(h, r.pick) }) };
      case 4:
        return { ...base, name: 'unarchiveConversation', args: (h) => ({ conversationId: convAt(h, r.pick) }) };
      case 5:
        return { ...base, name: 'manageConversation', args: (h) => ({ conversationId: convAt(h, r.pick), visibleTo: r.nullVis ? null : r.who, assignees: r.who.slice(0, 1), baseVisibilityVersion: h.tx.get('conversations', convAt(h, r.pick))?.visibilityVersion ?? 0 }) };
      case 6:
        return { ...base, name: 'deleteConversation', args: (h) => ({ conversationId: convAt(h, r.pick) }) };
      case 7:
        return { ...base, name: 'createInvoice', args: (h, n) => ({ id: `i${n}`, conversationId: convAt(h, r.pick), currency: 'GBP', lineItems: [{ description: 'x', quantity: 1, unitAmount: 100 }], dueDate: '2026-12-01', send: r.nullVis, messageId: `mi${n}` }) };
      case 8:
        return { ...base, name: r.nullVis ? 'markInvoicePaid' : 'voidInvoice', args: (h) => ({ invoiceId: invoiceAt(h, r.pick) }) };
      case 9:
        return { ...base, name: 'addNote', args: (h, n) => ({ id: `n${n}`, conversationId: convAt(h, r.pick), body: 'note' }) };
      case 10:
        return { ...base, name: 'mergeContacts', args: () => ({ intoId: 'pat', fromId: 'sam' }) };
      default:
        return { ...base, name: 'deleteContact', args: () => ({ id: r.contact }) };
    }
  });

function play(ops: Op[]): { h: Harness; exceptional: Set<string> } {
  const h = createHarness();
  standardOrg(h);
  h.contact('sam', phones.sam as string, { name: 'Sam' });
  // (contact, group) pairs that may legitimately hold two open conversations
  const exceptional = new Set<string>();
  ops.forEach((op, n) => {
    h.tick(op.tick);
    try {
      const args = op.args(h, n);
      h.run(op.name, op.as, args as never);
      if (op.name === 'unarchiveConversation' || op.name === 'mergeContacts') for (const g of groups) exceptional.add(`pat:${g}`).add(`sam:${g}`);
    } catch (e) {
      if (!(e instanceof MutationError)) throw e;
    }
  });
  return { h, exceptional };
}

function dump(h: Harness): string {
  return JSON.stringify(tableNames.map((t) => h.tx.find(t, {}).sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1))));
}

describe('invariants under random operations', () => {
  it('hold after every accepted sequence', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const { h, exceptional } = play(ops);
        try {
          const convs = h.tx.find('conversations', {});
          const ids = new Set(convs.map((c) => c.id));
          for (const c of convs) {
            if (c.visibleTo) expect(c.assignees.every((a) => c.visibleTo?.includes(a))).toBe(true);
            expect(c.visibleTo === null || c.visibleTo.length > 0).toBe(true);
            expect(h.tx.get('contacts', c.contactId), 'conversation without contact').toBeDefined();
            const open = convs.filter((o) => o.status === 'open' && o.contactId === c.contactId && o.groupId === c.groupId);
            if (!exceptional.has(`${c.contactId}:${c.groupId}`)) expect(open.length).toBeLessThanOrEqual(1);
            if (c.status === 'archived') expect(h.tx.find('invoices', { conversationId: c.id, status: 'sent' })).toHaveLength(0);
          }
          for (const t of ['messages', 'notes', 'invoices', 'checkouts'] as const) {
            for (const r of h.tx.find(t, {})) expect(ids.has(r.conversationId), `${t} orphan`).toBe(true);
          }
          for (const m of h.tx.find('messages', { channel: 'sms', direction: 'outbound' })) expect(m.attachments).toHaveLength(0);
        } finally {
          h.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('are deterministic: the same sequence gives the same rows', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 25 }), (ops) => {
        const a = play(ops).h;
        const b = play(ops).h;
        try {
          expect(dump(a)).toBe(dump(b));
        } finally {
          a.close();
          b.close();
        }
      }),
      { numRuns: 15 },
    );
  });
});
