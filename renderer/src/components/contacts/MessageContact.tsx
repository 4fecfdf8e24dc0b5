// Write to a contact from Contacts: goes to their open conversation in the chosen team,
// or starts one — which may be restricted ("Visible to") before its first message is sent, so
// that message never reaches anyone else's machine.
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
  const [restricted, setRestricted] = useState(false);
  const [visible, setVisible] = useState<Set<string>>(new Set());
  const gid = groupId || groups[0]?.id || '';
  const me = session?.userId ?? '';
  const open = conversations.find((c) => c.groupId === gid && c.status === 'open');
  // who may see the new conversation: the sender always, and the ticked members of the group
  const people = dir.membersOf(gid).filter((u) => u.id !== me);
  const visibleTo = restricted && !open ? [me, ...[...visible].filter((id) => people.some((u) => u.id === id))] : undefined;
  const send = async () => {
    if (!gid || !body.trim()) return;
    const convId = open?.id ?? newId();
    const r = await mutate('sendMessage', {
      id: newId(),
      conversationId: open?.id,
      newConversationId: open ? undefined : convId,
      contactId: contact.id,
      groupId: gid,
      channel,
      body: body.trim(),
      ...(visibleTo ? { visibleTo } : {}),
    });
    if (r.ok) {
      setBody('');
      setRestricted(false);
      setVisible(new Set());
      useUi.getState().setView({ kind: 'inbox', inbox: 'team', groupId: null });
      useUi.getState().select(convId);
    }
  };
  if (groups.length === 0) return null;
  return (
    <section className="contact-sec" aria-labelledby="msg-h">
      <h3 id="msg-h">Send a message</h3>
      <GroupChannelFields idPrefix="mc" groups={groups} groupId={gid} channel={channel} onGroup={setGroupId} onChannel={setChannel} />
      {!open && (
        <fieldset className="fs">
          <legend>Who can see the new conversation</legend>
          <label className="check">
            <input type="radio" name="mc-vis" checked={!restricted} onChange={() => setRestricted(false)} /> Everyone in {dir.groupName(gid)}
          </label>
          <label className="check">
            <input type="radio" name="mc-vis" checked={restricted} onChange={() => setRestricted(true)} /> Only me and…
          </label>
          {restricted && (
            <div className="check-list" role="group" aria-label="Visible to">
              {people.map((u) => (
                <label key={u.id} className="check">
                  <input
                    type="checkbox"
                    checked={visible.has(u.id)}
                    aria-label={`Visible to ${u.name}`}
                    onChange={() =>
                      setVisible((s) => {
                        const n = new Set(s);
                        if (n.has(u.id)) n.delete(u.id);
                        else n.add(u.id);
                        return n;
                      })
                    }
                  />{' '}
                  {u.name}
                </label>
              ))}
              <p className="xs faint">Nobody else receives it, admins included; you are its assignee.</p>
            </div>
          )}
        </fieldset>
      )}
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
