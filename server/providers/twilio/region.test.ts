// A Twilio account in a region (e.g. Ireland: region ie1, edge dublin): the official client puts
// region and edge into each API's own host, so messages go to api.dublin.ie1.twilio.com and the
// template list to content.dublin.ie1.twilio.com. Only twilio's HTTP transport is stubbed here
// (no network on this machine): the URIs are the ones the official client built.
import { afterEach, describe, expect, it, vi } from 'vitest';
import twilio from 'twilio';
import Response from 'twilio/lib/http/response';
import type { AccountConfig, AccountRow } from '../accounts';
import { twilioPublic, type TwilioConfig } from '../config';
import { fetchApprovedTemplates } from '../templateFetch';
import { createTwilioClient } from './client';

const SID = 'AC' + 'b2'.repeat(16);
const seen: string[] = [];

function stubTransport(body: (uri: URL) => unknown): void {
  vi.spyOn(twilio.RequestClient.prototype, 'request').mockImplementation(async (opts) => {
    seen.push(opts.uri);
    return new Response(200, JSON.stringify(body(new URL(opts.uri))), {});
  });
}
afterEach(() => {
  vi.restoreAllMocks();
  seen.length = 0;
});

const account = (config: TwilioConfig): AccountConfig => ({ kind: 'twilio', row: {} as AccountRow, config });

describe('Twilio region and edge', () => {
  it('an admin types them in any case; anything else is refused in a sentence', () => {
    expect(twilioPublic.parse({ accountSid: SID, number: '+15005550006', region: ' IE1', edge: 'Dublin' })).toMatchObject({ region: 'ie1', edge: 'dublin' });
    const bad = twilioPublic.safeParse({ accountSid: SID, number: '+15005550006', region: 'https://evil.example', edge: 'dub lin' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.message)).toEqual(['a Twilio region looks like ie1, au1 or us1', 'a Twilio edge is a location name such as dublin or sydney']);
  });

  it('the template list goes to the Content API\'s regional host and follows its pages there', async () => {
    stubTransport((u) => ({
      contents: [{ sid: u.searchParams.get('Page') === '1' ? 'HX2' : 'HX1', friendly_name: 'x', language: 'en', types: { 'twilio/text': { body: `Order {{1}} ${u.searchParams.get('Page') ?? '0'}` } }, approval_requests: { name: `t${u.searchParams.get('Page') ?? '0'}`, status: 'approved' } }],
      meta: { page: 0, page_size: 1, key: 'contents', next_page_url: u.searchParams.get('Page') === '1' ? null : 'https://content.dublin.ie1.twilio.com/v1/ContentAndApprovals?PageSize=1&Page=1&PageToken=PT1' },
    }));
    const templates = await fetchApprovedTemplates(account({ accountSid: SID, authToken: 'token-123456', number: '+15005550006', region: 'ie1', edge: 'dublin' }));
    expect(templates.map((t) => [t.name, t.providerId])).toEqual([['t0', 'HX1'], ['t1', 'HX2']]);
    expect(seen.map((u) => new URL(u).host)).toEqual(['content.dublin.ie1.twilio.com', 'content.dublin.ie1.twilio.com']);
  });

  it('messages go to the Messaging API\'s regional host, not the Content API\'s', async () => {
    stubTransport(() => ({ sid: 'SM' + '0'.repeat(32), status: 'queued' }));
    await createTwilioClient(SID, 'token-123456', { region: 'ie1', edge: 'dublin' }).messages.create({ to: '+14155552671', from: '+15005550006', body: 'Hi' });
    expect(new URL(seen[0] ?? '').host).toBe('api.dublin.ie1.twilio.com');
  });

  it('without region or edge the hosts are Twilio\'s defaults', async () => {
    stubTransport(() => ({ contents: [], meta: { next_page_url: null } }));
    await fetchApprovedTemplates(account({ accountSid: SID, authToken: 'token-123456', number: '+15005550006' }));
    expect(new URL(seen[0] ?? '').host).toBe('content.twilio.com');
  });
});
