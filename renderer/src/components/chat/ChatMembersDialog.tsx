// A group chat's people: rename it, add people, remove someone (the person who started it),
// leave it. A chat about a conversation ("Discuss with…") only offers people who may see that
// conversation; the relay checks the same rules and refuses anything else with the reason.
import { useState } from 'react';
import { LogOut, UserMinus } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import { canBeMentioned, sessionViewer } from '../../../../shared/permissions';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { Avatar } from '../Avatar';
import { PeoplePicker, toggled } from './PeoplePicker';
import { Modal } from '../dialogs/Modal';

export function ChatMembersDialog({ chatId }: { chatId: string }) {
  const { close, select } = useUi(useShallow((s) => ({ close: s.closeDialog, select: s.select })));
  const d = useBridgeQuery('chat', { id: chatId }).data;
  const conv = useBridgeQuery('conversation', { id: d?.about?.conversationId ?? '' }, { enabled: !!d?.about }).data;
  const dir = useDirectory();
  const session = useSession();
  const [title, setTitle] = useState<string | null>(null);
  const [adding, setAdding] = useState<Set<string>>(new Set());
  const [leaving, setLeaving] = useState(false);
  if (!d || !session) return null;
  const chat = d.chat;
  const name = title ?? chat.title ?? '';
  // the people who may join: active, not in it, and (for a discussion) allowed to see the conversation
  const candidates = dir.users.filter(
    (u) => u.active && !chat.members.includes(u.id) && (!conv || canBeMentioned(sessionViewer({ userId: u.id, role: u.role }, dir.memberships), conv.conversation)),
  );

  if (leaving) {
    return (
      <Modal
        title="Leave this chat?"
        onClose={() => setLeaving(false)}
        footer={
          <>
            <button type="button" className="btn" onClick={() => setLeaving(false)}>Cancel</button>
            <button
              type="button"
              className="btn danger"
              onClick={() => {
                close();
                select(null);
                void mutate('leaveChat', { chatId });
              }}
            >
              Leave chat
            </button>
          </>
        }
      >
        <p>{chat.members.length === 1 ? 'You are the last one in it: the chat and its messages are deleted.' : 'Its messages leave this computer; someone in the chat can add you back.'}</p>
      </Modal>
    );
  }

  return (
    <Modal title="Chat members" onClose={close} footer={<button type="button" className="btn" onClick={close}>Done</button>}>
      {d.canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void mutate('renameChat', { chatId, title: name.trim() }).then((r) => r.ok && setTitle(null));
          }}
        >
          <div className="field grow">
            <label htmlFor="chat-rename">Chat name</label>
            <input id="chat-rename" className="input" value={name} maxLength={80} placeholder="Names of the people in it" onChange={(e) => setTitle(e.target.value)} />
          </div>
          <button type="submit" className="btn chat-rename-save" disabled={name.trim() === (chat.title ?? '')}>Rename</button>
        </form>
      )}
      <h3 className="small strong">{`${chat.members.length} ${chat.members.length === 1 ? 'person' : 'people'}`}</h3>
      <ul className="member-list" aria-label="People in this chat">
        {chat.members.map((id) => (
          <li key={id} className="row member-row">
            <Avatar id={id} name={dir.userName(id)} />
            <span className="grow">
              {dir.userName(id)}
              {id === session.userId && <span className="faint"> (you)</span>}
              {id === chat.createdBy && <span className="xs faint"> · started this chat</span>}
            </span>
            {d.canRemoveMembers && id !== session.userId && (
              <button type="button" className="btn sm ghost" aria-label={`Remove ${dir.userName(id)}`} onClick={() => void mutate('removeChatMember', { chatId, userId: id })}>
                <UserMinus size={14} aria-hidden="true" /> Remove
              </button>
            )}
          </li>
        ))}
      </ul>
      {!d.canRemoveMembers && d.canEdit && <p className="xs faint">Only {dir.userName(chat.createdBy)}, who started this chat, can remove people.</p>}
      {d.canEdit && (
        <>
          <h3 className="small strong">Add people</h3>
          {d.about && <p className="xs faint">Only people who can see the conversation this chat is about are listed.</p>}
          {candidates.length === 0 ? (
            <p className="small muted">Everyone who could join is already in it.</p>
          ) : (
            <PeoplePicker people={candidates} picked={adding} onToggle={(id) => setAdding((s) => toggled(s, id))} label="People to add" />
          )}
          <div className="row">
            {candidates.length > 0 && (
            <button
              type="button"
              className="btn primary"
              disabled={adding.size === 0}
              onClick={() => void mutate('addChatMembers', { chatId, userIds: [...adding] }).then((r) => r.ok && setAdding(new Set()))}
            >
              {adding.size ? `Add ${adding.size === 1 ? '1 person' : `${adding.size} people`}` : 'Add people'}
            </button>
            )}
            <span className="grow" />
            {d.canLeave && (
              <button type="button" className="btn danger-ghost" onClick={() => setLeaving(true)}>
                <LogOut size={14} aria-hidden="true" /> Leave chat
              </button>
            )}
          </div>
        </>
      )}
    </Modal>
  );
}

/** The line under a chat's header naming the conversation it is about, with a way to open it. */
export function ChatAbout({ about }: { about: { conversationId: string; title: string | null } }) {
  const { setView, select } = useUi(useShallow((s) => ({ setView: s.setView, select: s.select })));
  return (
    <div className="chat-notice chat-about" role="note">
      {about.title ? (
        <>
          About the conversation with <strong>{about.title}</strong>
          <button
            type="button"
            className="btn sm ghost"
            onClick={() => {
              setView({ kind: 'inbox', inbox: 'team', groupId: null });
              select(about.conversationId);
            }}
          >
            Open conversation
          </button>
        </>
      ) : (
        'About a conversation you cannot see.'
      )}
    </div>
  );
}
