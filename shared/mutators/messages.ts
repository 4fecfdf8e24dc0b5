// Sending, receiving and delivery statuses of customer messages.
import { ensure, mustGet, requireActor } from '../domain/actor';
import { addMessage, routeOrCreate, routedConversation } from '../domain/conversations';
import { checkOutbound, lastWhatsAppInbound, postOutbound } from '../domain/outbound';
import { canBeAssignedInGroup, canSeeConversation, canSeeConversationMeta, canSendInGroup, viewerFromTx } from '../permissions';
import { normalisePhone } from '../phone';
import type { DeliveryStatus, Message } from '../schema';
import { splitSms } from '../sms';
import { MutationError } from '../tx';
import { args } from './args';
import { newContact } from './contacts';
import { CONFIDENTIAL_CONVERSATION, NO_SUCH_CONVERSATION } from './conversations';
import { defineMutator } from './define';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'UNSTOP', 'YES']);
const rank: Record<DeliveryStatus, number> = { scheduled: -2, queued: 0, sent: 1, delivered: 2, read: 3, failed: -1 };

export const messageMutators = {
  sendMessage: defineMutator({
    args: args.sendMessage,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canSendInGroup(actor, a.groupId), 'forbidden', 'You are not a member of this group.');
      const group = mustGet(tx, 'groups', a.groupId, 'group');
      const contact = mustGet(tx, 'contacts', a.contactId, 'contact');
      // An archived, deleted or hidden target behaves as if none was given: route or create. A
      // hidden one answers exactly like an unknown id, so nobody can probe for it (issue 10 item 17).
      const given = a.conversationId ? tx.get('conversations', a.conversationId) : undefined;
      const known = given && canSeeConversationMeta(actor, given) ? given : undefined;
      let conversation = known?.status === 'open' ? known : undefined;
      if (conversation) {
        ensure(conversation.contactId === contact.id && conversation.groupId === group.id, 'invalid', 'This conversation belongs to another contact or group.');
      }
      conversation ??= routedConversation(tx, contact.id, group.id);
      if (conversation && !canSeeConversation(actor, conversation)) {
        // an admin outside "Visible to" knows it exists (metadata); anyone else is told nothing more than for an unknown id
        if (canSeeConversationMeta(actor, conversation)) throw new MutationError('forbidden', CONFIDENTIAL_CONVERSATION);
        throw new MutationError('not_found', NO_SUCH_CONVERSATION);
      }
      // Restrict at creation (issue 10 item 3): the first message never reaches anyone outside the list.
      const visibleTo = a.visibleTo ? [...new Set(a.visibleTo)] : null;
      if (visibleTo) {
        ensure(
          !conversation || (conversation.visibleTo !== null && conversation.visibleTo.length === visibleTo.length && visibleTo.every((u) => conversation?.visibleTo?.includes(u))),
          'conflict',
          `${contact.name} already has an open conversation in ${group.name}. Write in it, or change who sees it from Manage conversation.`,
        );
        ensure(visibleTo.includes(actor.id), 'invalid', 'Include yourself among the people who see the new conversation.');
        for (const id of visibleTo) {
          const u = tx.get('users', id);
          const candidate = viewerFromTx(tx, id);
          ensure(u && u.active && candidate, 'invalid', 'One of the chosen people does not exist or has been deactivated.');
          ensure(canBeAssignedInGroup(candidate, group.id), 'invalid', `${u.name} is not a member of ${group.name}.`);
        }
      }
      const draft = checkOutbound(
        ctx,
        { channel: a.channel, body: a.body, attachments: a.attachments ?? [], location: a.location ?? null, templateName: a.templateName ?? null },
        { contact, group, lastInboundAt: lastWhatsAppInbound(tx, contact.id, group.id) },
      );
      conversation ??= routeOrCreate(tx, ctx, {
        contact, groupId: group.id, channel: a.channel, newId: a.newConversationId ?? ctx.newId(), inbound: false,
        // who restricts a new conversation is its assignee: they keep the right to widen it
        visibleTo, assignees: visibleTo ? [actor.id] : [],
      }).conversation;
      postOutbound(tx, ctx, conversation, { ...draft, id: a.id, authorId: actor.id });
    },
  }),

  receiveInbound: defineMutator({
    args: args.receiveInbound,
    system: true,
    run(tx, ctx, a) {
      const phone = normalisePhone(a.from);
      if (!phone.ok) throw new MutationError('invalid', phone.message);
      const group = mustGet(tx, 'groups', a.groupId, 'group');
      if (a.providerMessageId && tx.find('messages', { providerMessageId: a.providerMessageId }).length) return; // provider retry
      let contact = tx.find('contacts', { phone: phone.e164 })[0];
      if (!contact) {
        contact = newContact(ctx, { id: ctx.newId(), name: a.contactName?.trim() || phone.e164, phone: phone.e164 });
        tx.put('contacts', contact);
      }
      // Carrier keywords: only SMS has an opt-out to keep (the flag is "SMS opt-out").
      const keyword = a.body.trim().toUpperCase();
      if (a.channel === 'sms' && (OPT_OUT.has(keyword) || OPT_IN.has(keyword))) {
        contact = { ...contact, optedOut: OPT_OUT.has(keyword), updatedAt: ctx.now };
        tx.put('contacts', contact);
      }
      const routed = routeOrCreate(tx, ctx, { contact, groupId: group.id, channel: a.channel, newId: ctx.newId(), inbound: true });
      let conversation = routed.conversation;
      // A new conversation nobody's defaults assigned waits for the relay's automatic assignment.
      if (routed.created && group.autoAssign !== 'off' && conversation.assignees.length === 0) {
        conversation = { ...conversation, autoAssignWaiting: true };
        tx.put('conversations', conversation);
      }
      const message: Message = {
        id: ctx.newId(),
        conversationId: conversation.id,
        direction: 'inbound',
        channel: a.channel,
        body: a.body,
        authorId: null,
        status: 'delivered',
        failureReason: null,
        segments: a.channel === 'sms' ? Math.max(1, splitSms(a.body).parts.length) : 1,
        attachments: a.attachments ?? [],
        location: a.location ?? null,
        templateName: null,
        providerMessageId: a.providerMessageId ?? null,
        broadcastId: null,
        paymentRef: null,
        scheduledAt: null,
        createdAt: ctx.now,
        version: 0,
      };
      addMessage(tx, conversation, message);
    },
  }),

  updateDeliveryStatus: defineMutator({
    args: args.updateDeliveryStatus,
    system: true,
    run(tx, _ctx, a) {
      const m = tx.get('messages', a.messageId);
      if (!m) return; // stray callback for a message we do not have
      // A multi-part SMS gets one callback per part, each with its own provider id: keep the first.
      let next: Message = { ...m, providerMessageId: m.providerMessageId ?? a.providerMessageId ?? null };
      if (a.status === 'failed') {
        // Failure only before delivery; the provider's reason is kept for the UI.
        if (m.status === 'queued' || m.status === 'sent') next = { ...next, status: 'failed', failureReason: a.failureReason ?? 'The provider could not deliver this message.' };
      } else if (m.status !== 'failed' && rank[a.status] > rank[m.status]) {
        next = { ...next, status: a.status };
      }
      if (next.status !== m.status || next.providerMessageId !== m.providerMessageId || next.failureReason !== m.failureReason) tx.put('messages', next);
    },
  }),
};
