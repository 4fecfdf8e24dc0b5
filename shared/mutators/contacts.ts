// Contacts: create and edit (any active user), the rest admins only.
import { ensure, ensureNew, mustGet, requireActor, requireAdmin, unique } from '../domain/actor';
import { conversationName } from '../domain/activity';
import { deleteConversationCascade, hasSentInvoice, mergeOpenConversations } from '../domain/conversations';
import { canAdminister } from '../permissions';
import { normalisePhone } from '../phone';
import type { Contact } from '../schema';
import { MutationError, type MutatorContext, type ReadTx, type Tx } from '../tx';
import { args } from './args';
import { defineMutator } from './define';

function phoneOrThrow(input: string, label = ''): string {
  const r = normalisePhone(input);
  if (!r.ok) throw new MutationError('invalid', `${label}${r.message}`);
  return r.e164;
}

/** Another contact already holding this number → conflict naming it. */
function ensurePhoneFree(tx: ReadTx, phone: string, selfId: string): void {
  const other = tx.find('contacts', { phone }).find((c) => c.id !== selfId);
  if (other) throw new MutationError('conflict', `${phone} already belongs to ${other.name}.`);
}

const cleanTags = (tags: string[]) => unique(tags.map((t) => t.trim()).filter(Boolean));

export function newContact(ctx: MutatorContext, f: { id: string; name: string; phone: string; email?: string | null; tags?: string[]; notes?: string }): Contact {
  return {
    id: f.id,
    name: f.name,
    phone: f.phone,
    email: f.email ?? null,
    tags: cleanTags(f.tags ?? []),
    notes: f.notes ?? '',
    optedOut: false,
    defaultVisibleTo: null,
    defaultAssignees: [],
    createdAt: ctx.now,
    updatedAt: ctx.now,
    version: 0,
  };
}

/** Removes a contact's conversations (refused while any invoice is sent); returns attachment ids. */
function deleteContactCascade(tx: Tx, ctx: MutatorContext, contact: Contact): string[] {
  const convs = tx.find('conversations', { contactId: contact.id });
  ensure(!convs.some((c) => hasSentInvoice(tx, c.id)), 'outstanding_invoice', `${contact.name} has an unpaid invoice. Mark it paid or void it first.`);
  for (const c of convs) ctx.audit?.('conversationDeleted', c.id, { targetName: conversationName(tx, c), details: { withContact: true } });
  const ids = convs.flatMap((c) => deleteConversationCascade(tx, c.id));
  tx.del('contacts', contact.id);
  return unique(ids).sort();
}

export const contactMutators = {
  createContact: defineMutator({
    args: args.createContact,
    run(tx, ctx, a) {
      requireActor(tx, ctx);
      ensureNew(tx, 'contacts', a.id, 'contact');
      const phone = phoneOrThrow(a.phone);
      ensurePhoneFree(tx, phone, a.id);
      tx.put('contacts', newContact(ctx, { ...a, phone }));
    },
  }),
  updateContact: defineMutator({
    args: args.updateContact,
    run(tx, ctx, a) {
      requireActor(tx, ctx);
      const c = mustGet(tx, 'contacts', a.id, 'contact');
      const phone = a.phone === undefined ? c.phone : phoneOrThrow(a.phone);
      if (phone !== c.phone) ensurePhoneFree(tx, phone, c.id);
      tx.put('contacts', {
        ...c,
        name: a.name ?? c.name,
        phone,
        email: a.email === undefined ? c.email : a.email,
        tags: a.tags === undefined ? c.tags : cleanTags(a.tags),
        notes: a.notes ?? c.notes,
        updatedAt: ctx.now,
      });
    },
  }),
  deleteContact: defineMutator({
    args: args.deleteContact,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'delete contacts');
      const ids = deleteContactCascade(tx, ctx, mustGet(tx, 'contacts', a.id, 'contact'));
      if (ids.length) ctx.effect({ kind: 'attachmentsReleased', ids });
    },
  }),
  mergeContacts: defineMutator({
    args: args.mergeContacts,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'merge contacts');
      ensure(a.intoId !== a.fromId, 'invalid', 'Choose two different contacts to merge.');
      const into = mustGet(tx, 'contacts', a.intoId, 'contact');
      const from = mustGet(tx, 'contacts', a.fromId, 'contact');
      // Conversations keep their id (and so their scope); only the contact changes.
      for (const c of tx.find('conversations', { contactId: from.id })) tx.put('conversations', { ...c, contactId: into.id });
      // at most one open conversation per (contact, group): merged, or the older archived
      mergeOpenConversations(tx, ctx, into.id);
      const notes = [into.notes, from.notes].filter((n) => n.trim()).join('\n\n');
      tx.del('contacts', from.id);
      tx.put('contacts', {
        ...into,
        tags: cleanTags([...into.tags, ...from.tags]),
        notes,
        email: into.email ?? from.email,
        optedOut: into.optedOut || from.optedOut,
        updatedAt: ctx.now,
      });
    },
  }),
  importContacts: defineMutator({
    args: args.importContacts,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'import contacts');
      // Validate every row first: one bad row refuses the whole import.
      const rows = a.contacts.map((r, i) => ({ ...r, phone: phoneOrThrow(r.phone, `Row ${i + 1} (${r.name}): `) }));
      for (const r of rows) {
        const existing = tx.find('contacts', { phone: r.phone })[0];
        if (existing) {
          // Nothing is overwritten unless the admin chose "update" for the row.
          const onMatch = r.onMatch ?? 'keep';
          if (onMatch === 'skip') continue;
          tx.put(
            'contacts',
            onMatch === 'update'
              ? {
                  ...existing,
                  name: r.name,
                  email: r.email === undefined ? existing.email : r.email,
                  tags: cleanTags([...existing.tags, ...(r.tags ?? [])]),
                  notes: r.notes ?? existing.notes,
                  updatedAt: ctx.now,
                }
              : { ...existing, email: existing.email ?? r.email ?? null, tags: cleanTags([...existing.tags, ...(r.tags ?? [])]), updatedAt: ctx.now },
          );
        } else {
          ensureNew(tx, 'contacts', r.id, 'contact');
          tx.put('contacts', newContact(ctx, r));
        }
      }
    },
  }),
  setContactDefaults: defineMutator({
    args: args.setContactDefaults,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'set contact defaults');
      const c = mustGet(tx, 'contacts', a.id, 'contact');
      ensure(a.visibleTo === null || a.visibleTo.length > 0, 'invalid', 'Choose at least one person, or make it visible to everyone.');
      const visibleTo = a.visibleTo === null ? null : unique(a.visibleTo);
      const assignees = unique(a.assignees);
      for (const u of [...(visibleTo ?? []), ...assignees]) ensure(tx.get('users', u), 'invalid', 'One of the chosen people does not exist.');
      if (visibleTo) ensure(assignees.every((u) => visibleTo.includes(u)), 'assignee_not_visible', 'Default assignees must be among the people the conversation is visible to.');
      tx.put('contacts', { ...c, defaultVisibleTo: visibleTo, defaultAssignees: assignees, updatedAt: ctx.now });
    },
  }),
  setContactOptOut: defineMutator({
    args: args.setContactOptOut,
    run(tx, ctx, a) {
      // anyone may opt a contact out at their request; opting back in is the contact's START or an admin's
      const actor = requireActor(tx, ctx);
      ensure(a.optedOut || canAdminister(actor), 'forbidden', 'Only admins can opt a contact back in to SMS (or the contact, by texting START).');
      const c = mustGet(tx, 'contacts', a.id, 'contact');
      tx.put('contacts', { ...c, optedOut: a.optedOut, updatedAt: ctx.now });
    },
  }),
};
