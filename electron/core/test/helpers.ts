// Test helpers: temp dirs and a tiny mutator registry for relay-less engine tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineMutator } from '../../../shared/mutators/define';
import { args } from '../../../shared/mutators/args';
import { MutationError } from '../../../shared/tx';
import type { Registry } from '../engine/engine';
import type { Contact } from '../../../shared/schema';

export const tempDir = (prefix = 'parley-core-'): string => mkdtempSync(join(tmpdir(), prefix));

export const contactRow = (id: string, name: string, over: Partial<Contact> = {}): Contact => ({
  id, name, phone: '+14155550100', email: null, tags: [], notes: '', optedOut: false,
  defaultVisibleTo: null, defaultAssignees: [], createdAt: 1, updatedAt: 1, version: 0, ...over,
});

/** Just enough of the domain to exercise the outbox and rebase without the real mutators. */
export const tinyRegistry: Registry = {
  createContact: defineMutator({
    args: args.createContact,
    run(tx, ctx, a) {
      if (a.name === 'refuse') throw new MutationError('invalid', 'refused locally');
      tx.put('contacts', contactRow(a.id, a.name, { phone: a.phone, notes: a.notes ?? '', createdAt: ctx.now, updatedAt: ctx.now }));
    },
  }),
  updateContact: defineMutator({
    args: args.updateContact,
    run(tx, ctx, a) {
      const c = tx.get('contacts', a.id);
      if (!c) throw new MutationError('not_found', 'no such contact');
      tx.put('contacts', { ...c, name: a.name ?? c.name, notes: a.notes ?? c.notes, updatedAt: ctx.now });
    },
  }),
  deleteContact: defineMutator({
    args: args.deleteContact,
    run(tx, _ctx, a) {
      tx.del('contacts', a.id);
    },
  }),
  // a mutator that names its row with ctx.newId(): the id must survive a rebase
  createChat: defineMutator({
    args: args.createChat,
    run(tx, ctx) {
      tx.put('contacts', contactRow(ctx.newId(), 'made by newId'));
    },
  }),
};
