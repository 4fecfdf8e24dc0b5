// "Fetch approved templates": a group's WhatsApp templates as its provider holds them.
//   Meta WhatsApp Cloud API: GET /{version}/{waba-id}/message_templates (Graph API, paged by paging.next)
//   Twilio: the official client's Content API (GET /v1/ContentAndApprovals on content.twilio.com or its regional host),
//           keeping contents whose WhatsApp approval status is "approved"; providerId = the ContentSid (HX…)
// Only bodies with numbered blanks ({{1}}, {{2}}…) are kept: named parameters cannot be filled in here.
import { z } from 'zod';
import type { WhatsAppTemplate } from '../../shared/schema';
import type { AccountConfig } from './accounts';
import { GraphClient } from './whatsapp/graph';
import { createTwilioClient } from './twilio/client';
import type { ContentAndApprovalsInstance } from 'twilio/lib/rest/content/v1/contentAndApprovals';

/** the part of the twilio client's page we use (its next page has the same shape) */
interface ContentPage {
  instances: ContentAndApprovalsInstance[];
  nextPage(): Promise<ContentPage> | undefined;
}

const MAX_PAGES = 20;
const NAMED_BLANK = /\{\{\s*[^\d\s}][^}]*\}\}/;

const metaPage = z.object({
  data: z.array(
    z.object({
      name: z.string(),
      language: z.string(),
      status: z.string().optional(),
      components: z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()).optional(),
    }).passthrough(),
  ),
  paging: z.object({ next: z.string().optional() }).passthrough().optional(),
});

/** one Content resource as the twilio client hands it over (fields as Twilio documents them) */
const twilioContent = z.object({
  sid: z.string(),
  friendlyName: z.string().nullable().optional(),
  language: z.string().nullable().optional(),
  types: z.record(z.string(), z.unknown()).nullable().optional(),
  approvalRequests: z.object({ name: z.string().nullable().optional(), status: z.string().nullable().optional() }).passthrough().nullable().optional(),
});

const usable = (body: string | undefined): body is string => !!body?.trim() && !NAMED_BLANK.test(body);

async function fromMeta(c: Extract<AccountConfig, { kind: 'whatsapp-cloud' }>): Promise<WhatsAppTemplate[]> {
  const cfg = c.config;
  if (!cfg.businessAccountId) throw new Error('Add the WhatsApp Business Account ID to this WhatsApp account to fetch its templates.');
  const graph = new GraphClient(cfg.graphBaseUrl ?? 'https://graph.facebook.com', cfg.apiVersion, cfg.accessToken);
  const out: WhatsAppTemplate[] = [];
  let url: string | undefined = graph.url(`${cfg.businessAccountId}/message_templates?fields=name,language,status,components&status=APPROVED&limit=100`);
  for (let page = 0; url && page < MAX_PAGES; page++) {
    const r = await graph.getUrl(url);
    if (!r.ok) throw new Error(`WhatsApp refused the template list: ${r.message}`);
    const parsed = metaPage.safeParse(r.body);
    if (!parsed.success) throw new Error('WhatsApp answered the template list in an unexpected shape.');
    for (const t of parsed.data.data) {
      if (t.status && t.status.toUpperCase() !== 'APPROVED') continue;
      const body = t.components?.find((x) => x.type.toUpperCase() === 'BODY')?.text;
      if (usable(body)) out.push({ name: t.name, language: t.language, body });
    }
    url = parsed.data.paging?.next;
  }
  return out;
}

async function fromTwilio(c: Extract<AccountConfig, { kind: 'twilio' }>): Promise<WhatsAppTemplate[]> {
  const cfg = c.config;
  // the official client picks the Content API's own host (content.twilio.com, or its regional
  // twin when the account names a region and edge) and follows meta.next_page_url
  const client = createTwilioClient(cfg.accountSid, cfg.authToken, cfg);
  const out: WhatsAppTemplate[] = [];
  const read = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (e) {
      const status = (e as { status?: unknown }).status;
      if (status === 401) throw new Error('Twilio refused the account SID or auth token.', { cause: e });
      if (typeof status === 'number') throw new Error(`Twilio answered HTTP ${status} to the template list.`, { cause: e });
      throw new Error(`Could not reach Twilio: ${(e as Error).message}`, { cause: e });
    }
  };
  let page: ContentPage | undefined = await read(() => client.content.v1.contentAndApprovals.page({ pageSize: 100 }));
  for (let n = 0; page && n < MAX_PAGES; n++) {
    for (const raw of page.instances) {
      const t = twilioContent.safeParse({ sid: raw.sid, friendlyName: raw.friendlyName, language: raw.language, types: raw.types, approvalRequests: raw.approvalRequests });
      if (!t.success) throw new Error('Twilio answered the template list in an unexpected shape.');
      const a = t.data.approvalRequests;
      if ((a?.status ?? '').toLowerCase() !== 'approved') continue;
      const body = Object.values(t.data.types ?? {})
        .map((v) => (v && typeof v === 'object' && 'body' in v && typeof v.body === 'string' ? v.body : undefined))
        .find((b) => b !== undefined);
      if (!usable(body)) continue;
      out.push({ name: a?.name || t.data.friendlyName || t.data.sid, language: t.data.language || 'en', body, providerId: t.data.sid });
    }
    const next = page.nextPage();
    page = next ? await read(() => next) : undefined;
  }
  return out;
}

export async function fetchApprovedTemplates(c: AccountConfig): Promise<WhatsAppTemplate[]> {
  if (c.kind === 'whatsapp-cloud') return fromMeta(c);
  if (c.kind === 'twilio') return fromTwilio(c);
  throw new Error('A payments account has no WhatsApp templates.');
}
