// Start a team chat: yourself (notes), one colleague, or several.
import { useState } from 'react';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { useShallow } from 'zustand/react/shallow';
import { useUi } from '../../state/ui';
import { Modal } from './Modal';
import { PeoplePicker, toggled } from '../chat/PeoplePicker';
import { getBridge } from '../../../bridge';
import { toast } from '../../state/toasts';

const findChat = (members: string[]) => getBridge().query('chatWith', { members }).catch(() => null);

export function NewChatDialog() {
  const { closeDialog: close, setView, select } = useUi(useShallow((s) => ({ closeDialog: s.closeDialog, setView: s.setView, select: s.select })));
  const session = useSession();
  const dir = useDirectory();
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [title, setTitle] = useState('');
  const others = dir.users.filter((u) => u.active && u.id !== session?.userId);
  const start = async () => {
    if (!session) return;
    const open = (chatId: string) => {
      close();
      setView({ kind: 'chats' });
      select(chatId);
    };
    // a chat with yourself or with one colleague exists at most once: open it instead
    const existing = picked.size <= 1 ? await findChat([...picked]) : null;
    if (existing) return open(existing);
    const id = newId();
    const members = [session.userId, ...picked];
    const r = await mutate('createChat', { id, members, title: picked.size > 1 && title.trim() ? title.trim() : null }, { quiet: true });
    if (r.ok) return open(id);
    // made meanwhile (another device): the replica has it now
    const made = r.code === 'conflict' ? await findChat([...picked]) : null;
    if (made) open(made);
    else toast('error', r.message);
  };
  return (
    <Modal
      title="New team chat"
      onClose={close}
      footer={
        <>
          <span className="grow xs muted">{picked.size === 0 ? 'Nobody picked: a chat with yourself, for notes.' : `${picked.size + 1} people`}</span>
          <button type="button" className="btn primary" onClick={() => void start()}>
            Start chat
          </button>
        </>
      }
    >
      <PeoplePicker people={others} picked={picked} onToggle={(id) => setPicked((s) => toggled(s, id))} label="People" />
      {picked.size > 1 && (
        <div className="field">
          <label htmlFor="chat-title">Chat name (optional)</label>
          <input id="chat-title" className="input" value={title} onChange={(e) => setTitle(e.target.value)} />
        </div>
      )}
    </Modal>
  );
}
