// "Fetch approved templates": a group's WhatsApp templates as its provider holds them.
//   Meta WhatsApp Cloud API: GET /{version}/{waba-id}/message_templates (Graph API, paged by paging.next)
//   Twilio: GET https://content.twilio.com/v1/ContentAndApprovals (Content API, paged by meta.next_page_url),
//           keeping contents whose WhatsApp approval status is "approved"; providerId = the ContentSid (HX…)
// Only bodies with numbered blanks ({{1}}, {{2}}…) are kept: named parameters cannot be filled in here.
import { z } from 'zod';
import type { WhatsAppTemplate } from '../../shared/schema';
import type { AccountConfig } from './accounts';
import { GraphClient } from './whatsapp/graph';

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

const twilioPage = z.object({
  contents: z.array(
    z.object({
      sid: z.string(),
      friendly_name: z.string().nullable().optional(),
      language: z.string().nullable().optional(),
      types: z.record(z.string(), z.unknown()).nullable().optional(),
      approval_requests: z.object({ name: z.string().nullable().optional(), status: z.string().nullable().optional() }).passthrough().nullable().optional(),
    }).passthrough(),
  ),
  meta: z.object({ next_page_url: z.string().nullable().optional() }).passthrough().optional(),
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
  const origin = cfg.apiBaseUrl ?? 'https://content.twilio.com';
  const auth = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString('base64')}`;
  const out: WhatsAppTemplate[] = [];
  let url: string | null | undefined = `${origin}/v1/ContentAndApprovals?PageSize=100`;
  for (let page = 0; url && page < MAX_PAGES; page++) {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: auth, accept: 'application/json' } });
    } catch (e) {
      throw new Error(`Could not reach Twilio: ${(e as Error).message}`, { cause: e });
    }
    if (!res.ok) throw new Error(res.status === 401 ? 'Twilio refused the account SID or auth token.' : `Twilio answered HTTP ${res.status} to the template list.`);
    const parsed = twilioPage.safeParse(await res.json());
    if (!parsed.success) throw new Error('Twilio answered the template list in an unexpected shape.');
    for (const t of parsed.data.contents) {
      if ((t.approval_requests?.status ?? '').toLowerCase() !== 'approved') continue;
      const body = Object.values(t.types ?? {})
        .map((v) => (v && typeof v === 'object' && 'body' in v && typeof v.body === 'string' ? v.body : undefined))
        .find((b) => b !== undefined);
      if (!usable(body)) continue;
      out.push({ name: t.approval_requests?.name || t.friendly_name || t.sid, language: t.language || 'en', body, providerId: t.sid });
    }
    const next = parsed.data.meta?.next_page_url;
    // follow the next page on the same origin (tests and regional edges swap the origin)
    url = next ? origin + new URL(next).pathname + new URL(next).search : null;
  }
  return out;
}

export async function fetchApprovedTemplates(c: AccountConfig): Promise<WhatsAppTemplate[]> {
  if (c.kind === 'whatsapp-cloud') return fromMeta(c);
  if (c.kind === 'twilio') return fromTwilio(c);
  throw new Error('A payments account has no WhatsApp templates.');
}
