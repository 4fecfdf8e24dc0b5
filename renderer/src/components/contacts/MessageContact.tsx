// Write to a contact from Contacts: goes to their open conversation in the chosen team,
// or starts one.
import { useState } from 'react';
import { Send } from 'lucide-react';
import type { ConversationListItem } from '../../../../shared/bridge';
import type { Channel, Contact } from '../../../../shared/schema';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { SmsCounter } from '../conversation/SmsCounter';
import { GroupChannelFields, sendableGroups } from '../GroupChannelFields';

export function MessageContact({ contact, conversations }: { contact: Contact; conversations: ConversationListItem[] }) {
  const dir = useDirectory();
  const session = useSession();
  const groups = sendableGroups(dir, session);
  const [groupId, setGroupId] = useState('');
  const [channel, setChannel] = useState<Channel>('sms');
  const [body, setBody] = useState('');
  const gid = groupId || groups[0]?.id || '';
  const send = async () => {
    if (!gid || !body.trim()) return;
    const open = conversations.find((c) => c.groupId === gid && c.status === 'open');
    const convId = open?.id ?? newId();
    const r = await mutate('sendMessage', {
      id: newId(),
      conversationId: open?.id,
      newConversationId: open ? undefined : convId,
      contactId: contact.id,
      groupId: gid,
      channel,
      body: body.trim(),
    });
    if (r.ok) {
      setBody('');
      useUi.getState().setView({ kind: 'inbox', inbox: 'team', groupId: null });
      useUi.getState().select(convId);
    }
  };
  if (groups.length === 0) return null;
  return (
    <section className="contact-sec" aria-labelledby="msg-h">
      <h3 id="msg-h">Send a message</h3>
      <GroupChannelFields idPrefix="mc" groups={groups} groupId={gid} channel={channel} onGroup={setGroupId} onChannel={setChannel} />
      <textarea className="textarea" rows={3} aria-label={`Message to ${contact.name}`} value={body} onChange={(e) => setBody(e.target.value)} placeholder={`Write to ${contact.name}`} />
      <div className="row">
        {channel === 'sms' && <SmsCounter text={body} />}
        <span className="grow" />
        <button type="button" className="btn primary" disabled={!body.trim()} onClick={() => void send()}>
          <Send size={14} aria-hidden="true" /> Send message
        </button>
      </div>
    </section>
  );
}
