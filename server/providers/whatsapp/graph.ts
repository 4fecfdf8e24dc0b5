// Minimal Graph API client over fetch: Bearer token, JSON or multipart, Meta's error shape.
import { z } from 'zod';
import { isRetryableStatus, parseRetryAfter } from '../retry';
import { retryableMetaCodes } from './errors';

const graphError = z.object({
  error: z.object({ message: z.string().optional(), code: z.number().optional(), error_data: z.object({ details: z.string().optional() }).passthrough().optional() }).passthrough(),
});

export type GraphResult =
  | { ok: true; status: number; body: unknown }
  | { ok: false; status: number; retryable: boolean; retryAfterMs?: number; code?: number; message: string };

export class GraphClient {
  constructor(private readonly base: string, private readonly version: string, private readonly token: string) {}

  url(path: string): string {
    return `${this.base}/${this.version}/${path.replace(/^\//, '')}`;
  }

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<GraphResult> {
    return this.request(this.url(path), method, body);
  }

  /** GET of an absolute Graph URL (paging.next links). */
  async getUrl(url: string): Promise<GraphResult> {
    return this.request(url, 'GET', undefined);
  }

  /** Absolute URL (media downloads come as full URLs on another host). */
  async download(url: string): Promise<{ ok: true; bytes: Buffer; mime: string } | { ok: false; message: string }> {
    try {
      const res = await fetch(url, { headers: { authorization: `Bearer ${this.token}` } });
      if (!res.ok) return { ok: false, message: `HTTP ${res.status}` };
      return { ok: true, bytes: Buffer.from(await res.arrayBuffer()), mime: res.headers.get('content-type') ?? 'application/octet-stream' };
    } catch (e) {
      return { ok: false, message: (e as Error).message };
    }
  }

  private async request(url: string, method: string, body: unknown): Promise<GraphResult> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}` };
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(url, { method, headers, body: payload });
    } catch (e) {
      return { ok: false, status: 0, retryable: true, message: `Could not reach WhatsApp: ${(e as Error).message}` };
    }
    const raw = await res.text();
    let parsed: unknown;
    try {
      parsed = raw ? JSON.parse(raw) : {};
    } catch {
      parsed = undefined;
    }
    if (res.ok && parsed !== undefined) return { ok: true, status: res.status, body: parsed };
    const err = graphError.safeParse(parsed);
    const code = err.success ? err.data.error.code : undefined;
    const message = err.success ? (err.data.error.error_data?.details ?? err.data.error.message ?? `HTTP ${res.status}`) : `WhatsApp answered HTTP ${res.status}`;
    return {
      ok: false,
      status: res.status,
      retryable: isRetryableStatus(res.status) || (code !== undefined && retryableMetaCodes.has(code)),
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')),
      code,
      message,
    };
  }
}
