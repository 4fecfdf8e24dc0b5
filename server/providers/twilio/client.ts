// The official twilio client, with its API origin overridable (tests, regional set-ups) and
// transient HTTP answers (429, 5xx) surfaced with their Retry-After so our retry loop decides.
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { isRetryableStatus, parseRetryAfter } from '../retry';

export class TwilioTransientError extends Error {
  constructor(readonly status: number, readonly retryAfterMs: number | undefined, readonly code?: number) {
    super(`Twilio answered HTTP ${status}`);
    this.name = 'TwilioTransientError';
  }
}


class OriginRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string | undefined) {
    super({ timeout: 15_000 });
  }

  // The twilio package builds https://api.twilio.com/... URIs; we swap the origin only.
  override async request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    let uri = opts.uri;
    if (this.origin) {
      const u = new URL(uri);
      uri = this.origin + u.pathname + u.search;
    }
    const res = await super.request({ ...opts, uri });
    if (isRetryableStatus(res.statusCode)) {
      const headers = (res.headers ?? {}) as Record<string, string | undefined>;
      const body = res.body as { code?: unknown } | undefined;
      throw new TwilioTransientError(res.statusCode, parseRetryAfter(headers['retry-after']), typeof body?.code === 'number' ? body.code : undefined);
    }
    return res;
  }
}

export interface TwilioAddress {
  /** Twilio's region and edge: the official client puts them in every API's host name */
  region?: string;
  edge?: string;
  /** one origin for every Twilio API (a mock): replaces the host the client chose */
  apiBaseUrl?: string;
}

export function createTwilioClient(accountSid: string, authToken: string, address: TwilioAddress = {}): twilio.Twilio {
  return twilio(accountSid, authToken, {
    httpClient: new OriginRequestClient(address.apiBaseUrl),
    autoRetry: false,
    ...(address.region ? { region: address.region } : {}),
    ...(address.edge ? { edge: address.edge } : {}),
  });
}
