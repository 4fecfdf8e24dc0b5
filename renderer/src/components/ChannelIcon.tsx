// The channel of a conversation or account: a distinct glyph and a visible word, so it
// never reads as a phone call and never relies on colour alone.
import { MessageCircleMore, MessageSquareText } from 'lucide-react';

export function ChannelIcon({ channel, size = 12 }: { channel: 'sms' | 'whatsapp'; size?: number }) {
  const wa = channel === 'whatsapp';
  const Glyph = wa ? MessageCircleMore : MessageSquareText;
  const name = wa ? 'WhatsApp' : 'SMS';
  return (
    <span className={`chan chan-badge ${wa ? 'wa' : 'sms'}`} title={wa ? 'WhatsApp message' : 'SMS text message'}>
      <Glyph size={size} aria-hidden="true" />
      {name}
    </span>
  );
}
