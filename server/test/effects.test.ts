// Effects after commit: payment links, broadcast pacing, provider retries and webhooks,
// each coming back as a system mutation that clients receive as pokes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import type { ChannelProvider, OutboundMessage, ProviderRegistry, SendResult } from '../providers/types';
import { connectAs, salesConversation } from './helpers';

let org: TestOrg;
beforeAll(async () => {
  org = await startTestRelay();
});
afterAll(async () => {
  await org.relay.close();
});

describe('effects', () => {
  it('creates a payment link and sends it; the manual pay page shows the group\'s instructions and changes nothing (issue 10 item 8)', async () => {
    const admin = await connectAs(org, 'admin');
    const alice = await connectAs(org, 'alice');
    const { convId } = await salesConversation(org, admin, alice);
    expect((await admin.mutate('updateGroup', { id: org.groups.sales.id, paymentInstructions: 'Bank transfer to Sales Ltd <sort code 12-34-56>, quoting the invoice number.' })).status).toBe('ok');
    const invoiceId = uuidv7();
    const messageId = uuidv7();
    const r = await alice.mutate('createInvoice', {
      id: invoiceId, conversationId: convId, currency: 'GBP', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4200 }], dueDate: '2030-01-31', send: true, messageId,
    });
    expect(r.status).toBe('ok');
    await alice.waitFor('poke', () => alice.row('messages', messageId)?.status === 'delivered');
    const inv = alice.row('invoices', invoiceId);
    expect(inv?.paymentUrl).toBe(`${org.relay.httpUrl}/pay/invoice/${invoiceId}`);
    expect(org.relay.simulator.sent().some((t) => t.messageId === messageId && t.body.includes(`/pay/invoice/${invoiceId}`))).toBe(true);
    const page = await fetch(inv?.paymentUrl as string);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'none'");
    const html = await page.text();
    expect(html).toContain('£42.00');
    expect(html).toContain('Bank transfer to Sales Ltd &#60;sort code 12-34-56&#62;, quoting the invoice number.');
    expect(html).not.toContain('<form');
    // issue 12 item 15: the page is in the business's name (the team that asks), styled like the rest
    expect(html).toMatch(/<header class="biz">.*<span>(.+ · )?Sales<\/span><\/header>/);
    expect(html).toMatch(/<title>Invoice INV-\d+ — (.+ · )?Sales<\/title>/);
    // whoever holds the link cannot mark it paid
    const pay = await fetch(inv?.paymentUrl as string, { method: 'POST', redirect: 'manual' });
    expect(pay.status).toBe(405);
    expect((await org.relay.services.engine.store.rows.get('invoices', invoiceId))?.status).toBe('sent');
    // the demo's simulated payment: the simulator, admins only
    const simulate = (token: string) =>
      fetch(`${org.relay.httpUrl}/simulator/payment`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ invoiceId }) });
    expect((await simulate((await org.login(org.alice.email)).accessToken)).status).toBe(403);
    expect((await org.relay.services.engine.store.rows.get('invoices', invoiceId))?.status).toBe('sent');
    const ok = await simulate((await org.login(org.admin.email)).accessToken);
    expect(await ok.json()).toEqual({ ok: true, simulated: true });
    await alice.waitFor('poke', () => alice.row('invoices', invoiceId)?.status === 'paid');
    expect(await (await fetch(inv?.paymentUrl as string)).text()).toContain('Paid — thank you.');
    await Promise.all([admin.close(), alice.close()]);
  });

  it('sends a broadcast one recipient at a time, skipping opted-out contacts', async () => {
    const admin = await connectAs(org, 'admin');
    const ids = [uuidv7(), uuidv7(), uuidv7()];
    for (const [i, id] of ids.entries()) await admin.mutate('createContact', { id, name: `B${i}`, phone: `+44770090090${i}` });
    await admin.mutate('setContactOptOut', { id: ids[2], optedOut: true });
    const broadcastId = uuidv7();
    const r = await admin.mutate('sendBroadcast', { id: broadcastId, groupId: org.groups.sales.id, channel: 'sms', body: 'Sale starts Monday', contactIds: ids });
    expect(r.status).toBe('ok');
    await admin.waitFor('poke', () => admin.row('broadcasts', broadcastId)?.status === 'done');
    expect(admin.row('broadcasts', broadcastId)).toMatchObject({ total: 3, sent: 2, skipped: 1, failed: 0 });
    await org.relay.services.effects.idle();
    const texts = org.relay.simulator.sent().filter((t) => t.body === 'Sale starts Monday');
    expect(texts.map((t) => t.to).sort()).toEqual(['+447700900900', '+447700900901']);
    await admin.close();
  });
});

describe('custom providers', () => {
  it('takes a provider result as final (the adapter retried) and mounts webhooks', async () => {
    let calls = 0;
    const flaky: ChannelProvider = {
      kind: 'twilio',
      async send(_m: OutboundMessage): Promise<SendResult> {
        calls++;
        return calls === 1 ? { ok: false, retryable: true, reason: '429 Too Many Requests' } : { ok: true, providerMessageId: 'SM123' };
      },
    };
    const registry: ProviderRegistry = {
      channelFor: () => flaky,
      payments: () => ({ kind: 'manual', createLink: async (req) => ({ url: `https://pay.example/${req.id}`, providerRef: req.id }) }),
      sendRatePerSecond: () => 100,
      webhook: (path) =>
        path.join('/') === 'test/status'
          ? async (req, sink) => {
              await sink.status({ providerMessageId: new URL(req.url).searchParams.get('sid') ?? '', status: 'delivered' });
              return { status: 200, body: 'ok' };
            }
          : undefined,
    };
    const o = await startTestRelay({ providers: registry });
    try {
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const { msgId: failedId, contactId } = await salesConversation(o, admin, alice);
      await alice.waitFor('poke', () => alice.row('messages', failedId)?.status === 'failed');
      expect(calls).toBe(1);
      expect(alice.row('messages', failedId)?.failureReason).toContain('429');
      const msgId = uuidv7();
      expect((await alice.mutate('sendMessage', { id: msgId, contactId, groupId: o.groups.sales.id, channel: 'sms', body: 'again' })).status).toBe('ok');
      await alice.waitFor('poke', () => alice.row('messages', msgId)?.status === 'sent');
      expect(calls).toBe(2);
      expect(alice.row('messages', msgId)?.providerMessageId).toBe('SM123');
      const hook = await fetch(`${o.relay.httpUrl}/webhooks/test/status?sid=SM123`, { method: 'POST', body: 'x' });
      expect(hook.status).toBe(200);
      await alice.waitFor('poke', () => alice.row('messages', msgId)?.status === 'delivered');
      expect((await fetch(`${o.relay.httpUrl}/webhooks/nope`, { method: 'POST' })).status).toBe(404);
      await Promise.all([admin.close(), alice.close()]);
    } finally {
      await o.relay.close();
    }
  });

  it('sends a filled-in WhatsApp template outside the window with its values, language and provider id', async () => {
    const sent: OutboundMessage[] = [];
    const recording: ChannelProvider = {
      kind: 'whatsapp-cloud',
      async send(m: OutboundMessage): Promise<SendResult> {
        sent.push(m);
        return { ok: true, providerMessageId: `wamid.${sent.length}` };
      },
    };
    const registry: ProviderRegistry = {
      channelFor: () => recording,
      payments: () => ({ kind: 'manual', createLink: async (req) => ({ url: `https://pay.example/${req.id}`, providerRef: req.id }) }),
      sendRatePerSecond: () => 100,
      webhook: () => undefined,
    };
    const body = 'Hi {{1}}, there is an update on your order {{2}}. Reply for details.';
    // the same name approved in Spanish too: the text says which language goes to the provider
    const spanish = { name: 'order_update', language: 'es', body: 'Hola {{1}}, hay novedades de tu pedido {{2}}.', providerId: 'HX0456' };
    const o = await startTestRelay({ providers: registry, templates: [{ name: 'order_update', language: 'en_GB', body, providerId: 'HX0123' }, spanish] });
    try {
      expect(o.groups.sales.templates.map((t) => `${t.name} ${t.language}`)).toEqual(['order_update en_GB', 'order_update es']);
      const admin = await connectAs(o, 'admin');
      const alice = await connectAs(o, 'alice');
      const contactId = uuidv7();
      expect((await admin.mutate('createContact', { id: contactId, name: 'Ann', phone: '+447700900555' })).status).toBe('ok');
      const send = (id: string, text: string) =>
        alice.mutate('sendMessage', { id, contactId, groupId: o.groups.sales.id, newConversationId: uuidv7(), channel: 'whatsapp', templateName: 'order_update', body: text });
      // the contact never wrote on WhatsApp: only the filled-in template may go
      const refused = await send(uuidv7(), 'Hi Ann, there is an update on your order {{2}}. Reply for details.');
      expect(refused).toMatchObject({ status: 'rejected', code: 'invalid' });
      const msgId = uuidv7();
      expect((await send(msgId, 'Hi Ann, there is an update on your order #42 (blue). Reply for details.')).status).toBe('ok');
      await alice.waitFor('poke', () => alice.row('messages', msgId)?.status === 'sent');
      expect(sent).toHaveLength(1);
      expect(sent[0]).toMatchObject({
        messageId: msgId, channel: 'whatsapp', to: '+447700900555',
        template: { name: 'order_update', providerId: 'HX0123', language: 'en_GB', variables: ['Ann', '#42 (blue)'] },
      });
      const hola = uuidv7();
      expect((await send(hola, 'Hola Ann, hay novedades de tu pedido #43.')).status).toBe('ok');
      await alice.waitFor('poke', () => alice.row('messages', hola)?.status === 'sent');
      expect(sent[1]).toMatchObject({ messageId: hola, template: { name: 'order_update', providerId: 'HX0456', language: 'es', variables: ['Ann', '#43'] } });
      await Promise.all([admin.close(), alice.close()]);
    } finally {
      await o.relay.close();
    }
  });
});
