// Twilio error codes our users meet most, as readable reasons (https://www.twilio.com/docs/api/errors).
const reasons: Record<number, string> = {
  20003: 'Twilio rejected the credentials (check the account SID and auth token)',
  20429: 'Twilio is rate limiting this account; try again shortly',
  21211: 'The phone number is not valid',
  21408: 'Sending to this region is not enabled on the Twilio account',
  21606: "The group's number cannot send this kind of message",
  21608: 'Trial accounts can only send to verified numbers',
  21610: 'The recipient has replied STOP and unsubscribed from this number',
  21612: 'Twilio cannot route a text from this number to the recipient',
  21614: 'The number is not a mobile number and cannot receive texts',
  21617: 'The text is too long',
  30001: 'The message queue overflowed; try again later',
  30002: 'The Twilio account is suspended',
  30003: 'The handset is unreachable (switched off or out of coverage)',
  30004: 'The recipient blocked the message',
  30005: 'The number is unknown or no longer exists',
  30006: 'The number is a landline or cannot receive texts',
  30007: 'The carrier filtered the message as spam',
  30008: 'Delivery failed for an unknown reason at the carrier',
  30032: 'The toll-free number is not verified',
  30034: 'The sending number is not registered for A2P 10DLC',
  63003: 'The recipient is not a WhatsApp user',
  63016: 'Outside the 24-hour WhatsApp window: only approved templates may be sent',
  63018: 'WhatsApp rate limit reached for this sender',
  63024: 'Invalid message recipient on WhatsApp',
};

export function twilioReason(code: number | string | undefined | null, fallback?: string): string {
  const n = typeof code === 'string' ? Number(code) : code;
  if (n != null && Number.isFinite(n) && reasons[n]) return `${reasons[n]} (Twilio ${n})`;
  if (fallback) return n ? `${fallback} (Twilio ${n})` : fallback;
  return n ? `Twilio error ${n}` : 'Twilio could not deliver the message';
}
