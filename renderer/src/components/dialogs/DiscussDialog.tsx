// "Discuss with…": a team chat about this conversation, with colleagues who may see it (the
// relay refuses anyone else, so nothing of the conversation reaches someone by invitation).
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { canBeMentioned, sessionViewer } from '../../../../shared/permissions';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { PeoplePicker, toggled } from '../chat/PeoplePicker';
import { Modal } from './Modal';

export function DiscussDialog({ conversationId }: { conversationId: string }) {
  const { close, setView, select } = useUi(useShallow((s) => ({ close: s.closeDialog, setView: s.setView, select: s.select })));
  const detail = useBridgeQuery('conversation', { id: conversationId }).data;
  const dir = useDirectory();
  const session = useSession();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [title, setTitle] = useState<string | null>(null);
  const [first, setFirst] = useState('');
  if (!detail || !session) return null;
  const name = title ?? `About ${detail.contact.name}`;
  const people = dir.users.filter((u) => u.active && u.id !== session.userId && canBeMentioned(sessionViewer({ userId: u.id, role: u.role }, dir.memberships), detail.conversation));
  const start = async () => {
    const id = newId();
    const r = await mutate('createChat', { id, members: [session.userId, ...picked], title: name.trim() || null, conversationId });
    if (!r.ok) return;
    if (first.trim()) await mutate('sendChatMessage', { id: newId(), chatId: id, body: first.trim() });
    close();
    setView({ kind: 'chats' });
    select(id);
  };
  return (
    <Modal
      title={`Discuss ${detail.contact.name} with…`}
      onClose={close}
      footer={
        <>
          <span className="grow xs muted">Only people who can see this conversation are listed.</span>
          <button type="button" className="btn primary" disabled={picked.size === 0} onClick={() => void start()}>
            Start chat
          </button>
        </>
      }
    >
      <PeoplePicker people={people} picked={picked} onToggle={(id) => setPicked((s) => toggled(s, id))} label="People">
        {people.length === 0 && <p className="small muted">Nobody else can see this conversation.</p>}
      </PeoplePicker>
      <div className="field">
        <label htmlFor="discuss-title">Chat name</label>
        <input id="discuss-title" className="input" value={name} maxLength={80} onChange={(e) => setTitle(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="discuss-first">First message (optional)</label>
        <textarea id="discuss-first" className="textarea" rows={2} value={first} maxLength={10_000} onChange={(e) => setFirst(e.target.value)} placeholder="What should we do about this one?" />
      </div>
    </Modal>
  );
}
