// Payment links whose creation failed are retried with backoff (persisted in the link's job row:
// attempts, next_at); after MAX_LINK_ATTEMPTS failures the waiting message fails with a readable reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import { startTestRelay, type TestOrg } from '../testing';
import type { ChannelProvider, PaymentLinkRequest, ProviderRegistry } from '../providers/types';
import { MAX_LINK_ATTEMPTS } from '../effects/linkRetries';
import { connectAs, salesConversation } from './helpers';

const previous = process.env.PARLEY_LINK_RETRY_MS;
beforeAll(() => {
  process.env.PARLEY_LINK_RETRY_MS = '20,40';
});
afterAll(() => {
  if (previous === undefined) delete process.env.PARLEY_LINK_RETRY_MS;
  else process.env.PARLEY_LINK_RETRY_MS = previous;
});

/** Payments fail `failures` times, then create links; sends always succeed. */
function registry(failures: number, calls: PaymentLinkRequest[]): ProviderRegistry {
  const channel: ChannelProvider = { kind: 'twilio', send: async (m) => ({ ok: true, providerMessageId: `SM-${m.messageId}` }) };
  return {
    channelFor: () => channel,
    payments: () => ({
      kind: 'stripe',
      async createLink(req) {
        calls.push(req);
        if (calls.length <= failures) throw new Error('Stripe is unavailable (HTTP 503)');
        return { url: `https://pay.example/${req.id}`, providerRef: `plink_${req.id}` };
      },
    }),
    sendRatePerSecond: () => 100,
    webhook: () => undefined,
  };
}

async function sendInvoice(o: TestOrg): Promise<{ invoiceId: string; messageId: string; close: () => Promise<void>; alice: Awaited<ReturnType<typeof connectAs>> }> {
  const admin = await connectAs(o, 'admin');
  const alice = await connectAs(o, 'alice');
  const { convId } = await salesConversation(o, admin, alice);
  const invoiceId = uuidv7();
  const messageId = uuidv7();
  const r = await alice.mutate('createInvoice', {
    id: invoiceId, conversationId: convId, currency: 'GBP', lineItems: [{ description: 'Repair', quantity: 1, unitAmount: 4200 }], dueDate: '2030-01-31', send: true, messageId,
  });
  expect(r.status).toBe('ok');
  return { invoiceId, messageId, alice, close: () => Promise.all([admin.close(), alice.close()]).then(() => undefined) };
}

describe('payment link retries', () => {
  it('retries a failed link with backoff, then sends the message with it', async () => {
    const calls: PaymentLinkRequest[] = [];
    const o = await startTestRelay({ providers: registry(2, calls), log: () => undefined });
    try {
      const { invoiceId, messageId, alice, close } = await sendInvoice(o);
      await alice.waitFor('poke', () => alice.row('messages', messageId)?.status === 'sent');
      expect(calls.filter((c) => c.id === invoiceId)).toHaveLength(3);
      expect(alice.row('invoices', invoiceId)?.paymentUrl).toBe(`https://pay.example/${invoiceId}`);
      expect(alice.row('messages', messageId)?.body).toContain(`https://pay.example/${invoiceId}`);
      await close();
    } finally {
      await o.relay.close();
    }
  });

  it('gives up after the last attempt: the message fails with the reason, and stays failed after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-linkretry-'));
    const calls: PaymentLinkRequest[] = [];
    try {
      const o = await startTestRelay({ dataDir, providers: registry(Infinity, calls), log: () => undefined });
      const { messageId, alice, close } = await sendInvoice(o);
      await alice.waitFor('poke', () => alice.row('messages', messageId)?.status === 'failed');
      expect(calls).toHaveLength(MAX_LINK_ATTEMPTS);
      expect(alice.row('messages', messageId)?.failureReason).toBe('Could not create the payment link: Stripe is unavailable (HTTP 503)');
      await close();
      await o.relay.close();

      const again = await startTestRelay({ dataDir, providers: registry(Infinity, calls), log: () => undefined });
      await again.relay.services.effects.idle();
      await new Promise((r) => setTimeout(r, 150));
      expect(calls).toHaveLength(MAX_LINK_ATTEMPTS);
      await again.relay.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    }
  });

  it('keeps a pending retry across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-linkretry-'));
    const calls: PaymentLinkRequest[] = [];
    try {
      process.env.PARLEY_LINK_RETRY_MS = '60000';
      const o = await startTestRelay({ dataDir, providers: registry(1, calls), log: () => undefined });
      const { invoiceId, messageId, close } = await sendInvoice(o);
      for (let i = 0; i < 100 && calls.length < 1; i++) await new Promise((r) => setTimeout(r, 20));
      await o.relay.services.effects.idle();
      await close();
      await o.relay.close();
      // the schedule survives: one minute from now, not at once
      const later = await startTestRelay({ dataDir, providers: registry(1, calls), log: () => undefined });
      await later.relay.services.effects.idle();
      expect(calls).toHaveLength(1);
      expect((await later.relay.services.engine.store.rows.get('messages', messageId))?.status).toBe('queued');
      await later.relay.close();
      // a due retry runs at start
      const edit = await startTestRelay({ dataDir, providers: registry(1, calls), log: () => undefined });
      const job = `link:invoice:${invoiceId}`;
      expect(await edit.relay.services.store.get('SELECT attempts, last_error AS "lastError" FROM jobs WHERE id = ?', [job])).toEqual({ attempts: 1, lastError: 'Stripe is unavailable (HTTP 503)' });
      await edit.relay.services.store.run('UPDATE jobs SET next_at = 0 WHERE id = ?', [job]);
      await edit.relay.close();
      const due = await startTestRelay({ dataDir, providers: registry(1, calls), log: () => undefined });
      for (let i = 0; i < 100 && (await due.relay.services.engine.store.rows.get('messages', messageId))?.status !== 'sent'; i++) await new Promise((r) => setTimeout(r, 20));
      expect((await due.relay.services.engine.store.rows.get('messages', messageId))?.status).toBe('sent');
      await due.relay.close();
    } finally {
      process.env.PARLEY_LINK_RETRY_MS = '20,40';
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});
