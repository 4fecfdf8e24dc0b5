// Effects that never ran (the relay stopped between commit and effect) run at the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from 'uuidv7';
import type { Message } from '../../shared/schema';
import { SYSTEM_ACTOR } from '../sync/engine';
import { startTestRelay } from '../testing';

const dataDir = mkdtempSync(join(tmpdir(), 'parley-resume-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));

describe('resume', () => {
  it('sends outbound messages left queued by a stopped relay', async () => {
    const first = await startTestRelay({ dataDir });
    const engine = first.relay.services.engine;
    await engine.runAs(SYSTEM_ACTOR, 'receiveInbound', { groupId: first.groups.sales.id, channel: 'sms', from: '+447700900444', body: 'hi' });
    const conv = (await engine.store.rows.find('conversations', {}))[0];
    if (!conv) throw new Error('no conversation');
    const id = uuidv7();
    // written without its sendMessage effect, as if the relay died right after the commit
    await engine.write((tx) => {
      const m: Message = {
        id, conversationId: conv.id, direction: 'outbound', channel: 'sms', body: 'left behind', authorId: first.alice.id, status: 'queued', failureReason: null,
        segments: 1, attachments: [], location: null, templateName: null, providerMessageId: null, broadcastId: null, paymentRef: null, scheduledAt: null, createdAt: Date.now(), version: 0,
      };
      tx.put('messages', m);
    });
    await first.relay.close();

    const second = await startTestRelay({ dataDir });
    await second.relay.services.effects.idle();
    expect(second.relay.simulator.sent().map((t) => t.body)).toContain('left behind');
    expect((await second.relay.services.engine.store.rows.get('messages', id))?.status).not.toBe('queued');
    await second.relay.close();
  });
});
