// The channel of a conversation or account: a distinct glyph and a visible word, so it
// never reads as a phone call and never relies on colour alone.
import { MessageCircleMore, MessageSquareText } from 'lucide-react';

/** `compact`: the glyph alone in a tinted square (list rows), the word in its tooltip and accessible name. */
export function ChannelIcon({ channel, size = 12, compact }: { channel: 'sms' | 'whatsapp'; size?: number; compact?: boolean }) {
  const wa = channel === 'whatsapp';
  const Glyph = wa ? MessageCircleMore : MessageSquareText;
  const name = wa ? 'WhatsApp' : 'SMS';
  if (compact) {
    return (
      <span className={`chan chan-badge icon-only ${wa ? 'wa' : 'sms'}`} title={wa ? 'WhatsApp message' : 'SMS text message'} role="img" aria-label={name}>
        <Glyph size={size} aria-hidden="true" />
      </span>
    );
  }
  return (
    <span className={`chan chan-badge ${wa ? 'wa' : 'sms'}`} title={wa ? 'WhatsApp message' : 'SMS text message'}>
      <Glyph size={size} aria-hidden="true" />
      {name}
    </span>
  );
}
