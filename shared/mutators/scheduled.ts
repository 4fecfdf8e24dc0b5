// Send later: a reply stored as `scheduled` with its time; the relay's timer sends it
// (sendScheduledMessage, server/timers/) even when its author is offline. The channel rules
// are checked when it is scheduled (so an obvious refusal comes at once) and again when it is
// sent: the WhatsApp window and opt-out as they are then. A refusal then marks it failed,
// with the reason, on the item.
import { ensure, mustGet, requireActor } from '../domain/actor';
import { addMessage } from '../domain/conversations';
import { checkOutbound } from '../domain/outbound';
import { canEditScheduled, canSendInGroup } from '../permissions';
import type { Message } from '../schema';
import { MutationError, type MutatorContext, type ReadTx } from '../tx';
import { args } from './args';
import { visibleConversation } from './conversations';
import { defineMutator } from './define';

const YEAR = 366 * 24 * 60 * 60_000;

function ensureSendAt(ctx: MutatorContext, sendAt: number): void {
  // Offline, the time is checked when it is chosen; the relay sends one whose time passed
  // while it waited to sync at once.
  if (ctx.side === 'client') ensure(sendAt > ctx.now, 'invalid', 'Choose a time in the future.');
  ensure(sendAt <= ctx.now + YEAR, 'invalid', 'A message can be scheduled at most a year ahead.');
}

/** The scheduled message, refused when it was sent, cancelled or belongs to someone else. */
function editableScheduled(tx: ReadTx, ctx: MutatorContext, messageId: string): Message {
  const actor = requireActor(tx, ctx);
  const m = mustGet(tx, 'messages', messageId, 'scheduled message');
  visibleConversation(tx, actor, m.conversationId);
  ensure(m.status === 'scheduled', 'invalid', m.status === 'failed' ? 'This scheduled message was refused when its time came.' : 'This message has already been sent.');
  ensure(canEditScheduled(actor, m), 'forbidden', 'Only its author or an admin can change a scheduled message.');
  return m;
}

export const scheduledMutators = {
  scheduleMessage: defineMutator({
    args: args.scheduleMessage,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      const c = visibleConversation(tx, actor, a.conversationId);
      ensure(canSendInGroup(actor, c.groupId), 'forbidden', 'You are not a member of this group.');
      ensure(c.status === 'open', 'invalid', 'This conversation is archived. Unarchive it before scheduling a reply.');
      ensure(!tx.get('messages', a.id), 'conflict', 'A message with this id already exists.');
      ensureSendAt(ctx, a.sendAt);
      const contact = mustGet(tx, 'contacts', c.contactId, 'contact');
      const group = mustGet(tx, 'groups', c.groupId, 'group');
      const draft = checkOutbound(
        ctx,
        { channel: a.channel, body: a.body, attachments: [], location: null, templateName: a.templateName ?? null },
        { contact, group, lastInboundAt: c.lastInboundAt, windowAtSend: true },
      );
      tx.put('messages', {
        id: a.id, conversationId: c.id, direction: 'outbound', channel: draft.channel, body: draft.body, authorId: actor.id,
        status: 'scheduled', failureReason: null, segments: draft.segments, attachments: [], location: null,
        templateName: draft.templateName, providerMessageId: null, broadcastId: null, paymentRef: null,
        scheduledAt: a.sendAt, createdAt: ctx.now, version: 0,
      });
    },
  }),
  editScheduledMessage: defineMutator({
    args: args.editScheduledMessage,
    run(tx, ctx, a) {
      const m = editableScheduled(tx, ctx, a.messageId);
      if (a.sendAt !== undefined) ensureSendAt(ctx, a.sendAt);
      let next: Message = { ...m, scheduledAt: a.sendAt ?? m.scheduledAt };
      if (a.body !== undefined) {
        const c = mustGet(tx, 'conversations', m.conversationId, 'conversation');
        const draft = checkOutbound(
          ctx,
          { channel: m.channel, body: a.body, attachments: [], location: null, templateName: m.templateName },
          { contact: mustGet(tx, 'contacts', c.contactId, 'contact'), group: mustGet(tx, 'groups', c.groupId, 'group'), lastInboundAt: c.lastInboundAt, windowAtSend: true },
        );
        next = { ...next, body: draft.body, segments: draft.segments };
      }
      tx.put('messages', next);
    },
  }),
  cancelScheduledMessage: defineMutator({
    args: args.cancelScheduledMessage,
    run(tx, ctx, a) {
      const m = editableScheduled(tx, ctx, a.messageId);
      tx.del('messages', m.id);
    },
  }),
  sendScheduledMessage: defineMutator({
    args: args.sendScheduledMessage,
    system: true,
    run(tx, ctx, a) {
      const m = tx.get('messages', a.messageId);
      // Cancelled, edited to a later time, or already handled: nothing to do.
      if (!m || m.status !== 'scheduled' || (m.scheduledAt ?? 0) > ctx.now) return;
      const refuse = (reason: string) => tx.put('messages', { ...m, status: 'failed', failureReason: reason });
      const c = tx.get('conversations', m.conversationId);
      const contact = c && tx.get('contacts', c.contactId);
      const group = c && tx.get('groups', c.groupId);
      if (!c || !contact || !group) return refuse('The conversation or contact no longer exists.');
      if (c.status !== 'open') return refuse('Not sent: the conversation was archived before the scheduled time.');
      const author = m.authorId ? tx.get('users', m.authorId) : undefined;
      if (author && !author.active) return refuse('Not sent: its author was deactivated before the scheduled time.');
      let draft;
      try {
        draft = checkOutbound(
          ctx,
          { channel: m.channel, body: m.body, attachments: m.attachments, location: m.location, templateName: m.templateName },
          { contact, group, lastInboundAt: c.lastInboundAt },
        );
      } catch (e) {
        if (e instanceof MutationError) return refuse(`Not sent: ${e.message}`);
        throw e;
      }
      addMessage(tx, c, { ...m, body: draft.body, segments: draft.segments, status: 'queued', createdAt: ctx.now });
      ctx.effect({ kind: 'sendMessage', messageId: m.id });
    },
  }),
};
