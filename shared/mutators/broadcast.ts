// Broadcast: one message to many contacts, each copy in its own conversation.
// sendBroadcast records the plan; the relay sends at the provider's pace and reports
// each recipient back with recordBroadcastResult.
import { ensure, ensureNew, mustGet, requireActor, unique } from '../domain/actor';
import { routedConversation, routeOrCreate } from '../domain/conversations';
import { lastWhatsAppInbound, noProviderReason, postOutbound, SMS_MAX_BODY, templateText, whatsappWindowOpen } from '../domain/outbound';
import { approvedTemplate, TEMPLATE_REFUSED } from '../domain/templates';
import { canBroadcast, canSeeConversation, viewerFromTx } from '../permissions';
import type { Broadcast, Contact } from '../schema';
import { splitSms } from '../sms';
import { args } from './args';
import { defineMutator } from './define';

export const OPTED_OUT_REASON = 'Opted out of SMS';
export const TEMPLATE_WITHDRAWN_REASON = 'The template is no longer approved for this group';
/** The contact's open conversation in the group is restricted to people the sender is not among. */
export const HIDDEN_CONVERSATION_REASON = 'Their conversation in this group is not shared with you';
export const WINDOW_CLOSED_REASON = 'No WhatsApp message from them in the last 24 hours (use a template)';

export const broadcastMutators = {
  sendBroadcast: defineMutator({
    args: args.sendBroadcast,
    run(tx, ctx, a) {
      const actor = requireActor(tx, ctx);
      ensure(canBroadcast(actor, a.groupId), 'forbidden', 'You are not a member of this group.');
      const group = mustGet(tx, 'groups', a.groupId, 'group');
      const noProvider = noProviderReason(group, a.channel);
      ensure(!noProvider, 'invalid', noProvider ?? '');
      ensureNew(tx, 'broadcasts', a.id, 'broadcast');
      ensure((a.contactIds === undefined) !== (a.tag === undefined), 'invalid', 'Choose recipients one by one or by tag, not both.');
      ensure(a.channel === 'whatsapp' || !a.templateName, 'invalid', 'Templates are for WhatsApp only.');
      const body = templateText(group, a.templateName, a.body);
      // Every copy goes out as the template with these values: the text must fill every blank.
      ensure(!a.templateName || approvedTemplate(group.templates, a.templateName, body), 'invalid', TEMPLATE_REFUSED);
      ensure(body.trim(), 'invalid', 'Write the message to broadcast.');
      ensure(a.channel !== 'sms' || body.length <= SMS_MAX_BODY, 'invalid', `An SMS can be at most ${SMS_MAX_BODY} characters.`);

      const recipients: Contact[] = a.contactIds
        ? unique(a.contactIds).map((id) => tx.get('contacts', id)).filter((c): c is Contact => c !== undefined)
        : tx.find('contacts', {}).filter((c) => c.tags.includes(a.tag ?? ''));
      ensure(recipients.length > 0, 'invalid', a.tag ? `No contact has the tag "${a.tag}".` : 'None of the chosen contacts exist any more.');
      recipients.sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));

      let skipped = 0;
      for (const c of recipients) {
        const optedOut = a.channel === 'sms' && c.optedOut;
        if (optedOut) skipped++;
        tx.put('broadcastRecipients', {
          id: `${a.id}:${c.id}`, broadcastId: a.id, groupId: group.id, contactId: c.id,
          status: optedOut ? 'skipped' : 'pending', reason: optedOut ? OPTED_OUT_REASON : null, messageId: null, version: 0,
        });
      }
      tx.put('broadcasts', {
        id: a.id, groupId: group.id, channel: a.channel, body, templateName: a.templateName ?? null, createdBy: actor.id, createdAt: ctx.now,
        status: skipped === recipients.length ? 'done' : 'sending', total: recipients.length, sent: 0, skipped, failed: 0, version: 0,
      });
      ctx.effect({ kind: 'broadcast', broadcastId: a.id });
    },
  }),

  recordBroadcastResult: defineMutator({
    args: args.recordBroadcastResult,
    system: true,
    run(tx, ctx, a) {
      const b = mustGet(tx, 'broadcasts', a.broadcastId, 'broadcast');
      const r = mustGet(tx, 'broadcastRecipients', `${b.id}:${a.contactId}`, 'broadcast recipient');
      if (r.status !== 'pending') return; // already recorded: results may be retried
      let status = a.status;
      let reason = a.reason ?? null;
      let messageId: string | null = null;
      const contact = tx.get('contacts', a.contactId);
      if (status === 'sent' && !contact) [status, reason] = ['failed', 'The contact was deleted.'];
      if (status === 'sent' && contact && b.channel === 'sms' && contact.optedOut) [status, reason] = ['skipped', OPTED_OUT_REASON];
      // Free-form WhatsApp only reaches contacts who wrote in the last 24 hours.
      if (status === 'sent' && contact && b.channel === 'whatsapp' && !b.templateName && !whatsappWindowOpen(lastWhatsAppInbound(tx, contact.id, b.groupId), ctx.now)) {
        [status, reason] = ['skipped', WINDOW_CLOSED_REASON];
      }
      // The template may have been withdrawn from the group since the broadcast started.
      if (status === 'sent' && b.templateName && !approvedTemplate(tx.get('groups', b.groupId)?.templates ?? [], b.templateName, b.body)) {
        [status, reason] = ['failed', TEMPLATE_WITHDRAWN_REASON];
      }
      // Never write into a conversation hidden from the sender (issue 10 item 6): skipped, with the reason.
      if (status === 'sent' && contact) {
        const target = routedConversation(tx, contact.id, b.groupId);
        const sender = viewerFromTx(tx, b.createdBy);
        // visibility alone decides here (a deactivated sender's broadcast goes on as before)
        if (target && (!sender || !canSeeConversation({ id: sender.id, role: sender.role, groupIds: sender.groupIds }, target))) [status, reason] = ['skipped', HIDDEN_CONVERSATION_REASON];
      }
      if (status === 'sent' && contact) {
        ensure(a.messageId, 'invalid', 'A sent broadcast result needs a message id.');
        const { conversation } = routeOrCreate(tx, ctx, { contact, groupId: b.groupId, channel: b.channel, newId: ctx.newId(), inbound: false });
        postOutbound(tx, ctx, conversation, {
          id: a.messageId, channel: b.channel, body: b.body, attachments: [], location: null, templateName: b.templateName,
          segments: b.channel === 'sms' ? Math.max(1, splitSms(b.body).parts.length) : 1, authorId: b.createdBy, broadcastId: b.id,
        });
        messageId = a.messageId;
      }
      tx.put('broadcastRecipients', { ...r, status, reason, messageId });
      const next: Broadcast = {
        ...b,
        sent: b.sent + (status === 'sent' ? 1 : 0),
        skipped: b.skipped + (status === 'skipped' ? 1 : 0),
        failed: b.failed + (status === 'failed' ? 1 : 0),
      };
      const pending = tx.find('broadcastRecipients', { broadcastId: b.id, status: 'pending' }).length;
      tx.put('broadcasts', { ...next, status: pending === 0 ? 'done' : 'sending' });
    },
  }),
};
