// Canned responses: saved replies, personal or shared with a group (admins manage shared ones).
import { ensure, ensureNew, mustGet, requireActor } from '../domain/actor';
import { canEditCanned } from '../permissions';
import { args } from './args';
import { defineMutator } from './define';

const whose = (r: { ownerId: string | null }) => (r.ownerId !== null ? 'your own canned responses' : 'shared canned responses: ask an admin');

export const cannedMutators = {
  createCannedResponse: defineMutator({
    args: args.createCannedResponse,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensureNew(tx, 'cannedResponses', a.id, 'canned response');
      const row = { ownerId: a.groupId === null ? actor.id : null, groupId: a.groupId };
      if (a.groupId !== null) mustGet(tx, 'groups', a.groupId, 'group');
      ensure(canEditCanned(actor, row), 'forbidden', 'Only admins can create shared canned responses. Save it as a personal one instead.');
      tx.put('cannedResponses', {
        id: a.id, ...row, title: a.title, body: a.body, attachments: a.attachments ?? [], createdBy: actor.id,
        createdAt: ctx.now, updatedAt: ctx.now, version: 0,
      });
    },
  }),
  updateCannedResponse: defineMutator({
    args: args.updateCannedResponse,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const r = mustGet(tx, 'cannedResponses', a.id, 'canned response');
      ensure(canEditCanned(actor, r), 'forbidden', `You can only edit ${whose(r)}.`);
      tx.put('cannedResponses', {
        ...r,
        title: a.title ?? r.title,
        body: a.body ?? r.body,
        attachments: a.attachments ?? r.attachments,
        updatedAt: Math.max(r.updatedAt, ctx.now),
      });
      const kept = new Set((a.attachments ?? r.attachments).map((x) => x.id));
      const dropped = r.attachments.map((x) => x.id).filter((id) => !kept.has(id));
      if (dropped.length) ctx.effect({ kind: 'attachmentsReleased', ids: dropped.sort() });
    },
  }),
  deleteCannedResponse: defineMutator({
    args: args.deleteCannedResponse,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const r = mustGet(tx, 'cannedResponses', a.id, 'canned response');
      ensure(canEditCanned(actor, r), 'forbidden', `You can only delete ${whose(r)}.`);
      tx.del('cannedResponses', r.id);
      if (r.attachments.length) ctx.effect({ kind: 'attachmentsReleased', ids: r.attachments.map((x) => x.id).sort() });
    },
  }),
};
