// Meta WhatsApp Cloud API error codes as readable reasons
// (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
const reasons: Record<number, string> = {
  0: 'Meta could not authenticate the access token',
  190: 'The WhatsApp access token has expired or is invalid',
  368: 'The WhatsApp account is temporarily blocked for policy violations',
  4: 'Too many API calls for this WhatsApp app; try again shortly',
  80007: 'The WhatsApp Business account reached its rate limit',
  130429: 'WhatsApp throughput limit reached for this number',
  131026: 'The recipient cannot receive this message (not on WhatsApp or an old app version)',
  131047: 'More than 24 hours since the customer last replied: only an approved template can re-open the conversation',
  131048: 'Spam rate limit hit: too many messages from this number were blocked or reported',
  131049: 'Meta chose not to deliver this marketing message to keep engagement healthy',
  131051: 'This message type is not supported',
  131052: 'The media of the incoming message could not be downloaded',
  131053: 'The media could not be uploaded (unsupported type or too large)',
  131056: 'Too many messages to this recipient in a short time',
  132000: 'The template parameters do not match the approved template',
  132001: 'The template does not exist in this language or is not approved',
  132015: 'The template is paused because of low quality',
  133010: 'The phone number is not registered with the WhatsApp Cloud API',
  135000: 'WhatsApp could not send the message (generic user error)',
};

export function metaReason(code: number | undefined, fallback?: string): string {
  if (code !== undefined && reasons[code]) return `${reasons[code]} (WhatsApp ${code})`;
  if (fallback) return code !== undefined ? `${fallback} (WhatsApp ${code})` : fallback;
  return code !== undefined ? `WhatsApp error ${code}` : 'WhatsApp could not deliver the message';
}

/** Rate-limit codes Meta answers with HTTP 400/429 that are worth retrying later. */
export const retryableMetaCodes = new Set([4, 80007, 130429, 131056]);
