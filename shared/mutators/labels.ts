// Conversation labels (admins define them; anyone who sees a conversation sets them) and
// personal saved views (inbox filters in the sidebar).
import { ensure, ensureNew, mustGet, requireActor, requireAdmin } from '../domain/actor';
import { recordActivity } from '../domain/activity';
import { canLabel } from '../permissions';
import type { ReadTx } from '../tx';
import { args } from './args';
import { knownConversation } from './conversations';
import { defineMutator } from './define';

const MAX_LABELS_PER_CONVERSATION = 20;
const MAX_VIEWS = 50;

function ensureUniqueName(tx: ReadTx, name: string, exceptId: string): void {
  const other = tx.find('labels', {}).find((l) => l.id !== exceptId && l.name.toLowerCase() === name.toLowerCase());
  ensure(!other, 'conflict', `There is already a label named "${other?.name ?? name}".`);
}

export const labelMutators = {
  createLabel: defineMutator({
    args: args.createLabel,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'create labels');
      ensureNew(tx, 'labels', a.id, 'label');
      ensureUniqueName(tx, a.name, a.id);
      tx.put('labels', { id: a.id, name: a.name, color: a.color, createdAt: ctx.now, version: 0 });
    },
  }),
  updateLabel: defineMutator({
    args: args.updateLabel,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'edit labels');
      const l = mustGet(tx, 'labels', a.id, 'label');
      if (a.name !== undefined) ensureUniqueName(tx, a.name, a.id);
      tx.put('labels', { ...l, name: a.name ?? l.name, color: a.color ?? l.color });
    },
  }),
  /** Conversations keep the id; lists and filters ignore ids of labels that no longer exist. */
  deleteLabel: defineMutator({
    args: args.deleteLabel,
    run(tx, ctx, a) {
      requireAdmin(tx, ctx, 'delete labels');
      mustGet(tx, 'labels', a.id, 'label');
      tx.del('labels', a.id);
    },
  }),
  /** One label on or off: two people labelling the same conversation offline both win. */
  labelConversation: defineMutator({
    args: args.labelConversation,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = knownConversation(tx, actor, a.conversationId);
      ensure(canLabel(actor, c), 'forbidden', 'You cannot label this conversation.');
      const has = c.labels.includes(a.labelId);
      if (has === a.applied) return;
      if (a.applied) {
        mustGet(tx, 'labels', a.labelId, 'label');
        ensure(c.labels.length < MAX_LABELS_PER_CONVERSATION, 'invalid', `A conversation can carry at most ${MAX_LABELS_PER_CONVERSATION} labels.`);
      }
      tx.put('conversations', { ...c, labels: a.applied ? [...c.labels, a.labelId] : c.labels.filter((l) => l !== a.labelId) });
      recordActivity(tx, ctx, c.id, a.applied ? 'labelled' : 'unlabelled', { labelId: a.labelId });
    },
  }),
  saveView: defineMutator({
    args: args.saveView,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const existing = tx.get('savedViews', a.id);
      if (existing) ensure(existing.userId === actor.id, 'forbidden', 'This view belongs to someone else.');
      else ensure(tx.find('savedViews', { userId: actor.id }).length < MAX_VIEWS, 'invalid', `You can keep at most ${MAX_VIEWS} saved views.`);
      const filters = Object.fromEntries(Object.entries(a.filters).filter(([, v]) => v !== undefined));
      tx.put('savedViews', { id: a.id, userId: actor.id, name: a.name, filters, createdAt: existing?.createdAt ?? ctx.now, version: 0 });
    },
  }),
  deleteView: defineMutator({
    args: args.deleteView,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const v = tx.get('savedViews', a.id);
      if (!v) return;
      ensure(v.userId === actor.id, 'forbidden', 'This view belongs to someone else.');
      tx.del('savedViews', a.id);
    },
  }),
};
