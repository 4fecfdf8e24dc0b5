// A team chat: messages between colleagues, attachments, admin-only delete.
import { Fragment, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { isSameDay } from 'date-fns';
import clsx from 'clsx';
import { Clock, Paperclip, Send, Trash2, Users, X } from 'lucide-react';
import type { AttachmentRef } from '../../../../shared/schema';
import { useBridgeQuery } from '../../lib/queries';
import { useDirectory, useSession } from '../../lib/directory';
import { mutate, newId } from '../../lib/mutate';
import { clockTime, dayLabel, exactTime } from '../../lib/format';
import { useUi } from '../../state/ui';
import { getBridge, errorMessage } from '../../../bridge';
import { toast } from '../../state/toasts';
import { Attachments, readFileBase64 } from '../Attachments';
import { Avatar } from '../Avatar';
import { Linkified } from '../Linkified';
import { FailureList } from '../conversation/FailureList';
import { Modal } from '../dialogs/Modal';
import { ChatAbout } from './ChatMembersDialog';
import { chatTitleOf } from '../../../../shared/chatTitle';

export const NOT_MEMBER = 'This chat is private to its participants: you see only that it exists, and can delete it.';

export function chatTitle(chat: { kind: string; title: string | null; members: string[] }, me: string | undefined, name: (id: string) => string): string {
  return chatTitleOf(chat, me, name);
}

export function ChatPane({ chatId }: { chatId: string }) {
  const q = useBridgeQuery('chat', { id: chatId });
  const dir = useDirectory();
  const session = useSession();
  const select = useUi((s) => s.select);
  const focusTick = useUi((s) => s.composerFocus);
  const [text, setText] = useState('');
  const [atts, setAtts] = useState<AttachmentRef[]>([]);
  const [confirm, setConfirm] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const taRef = useRef<HTMLTextAreaElement>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const d = q.data?.chat.id === chatId ? q.data : null;
  const last = d?.chat.lastActivityAt ?? 0;

  useEffect(() => {
    if (focusTick > 0) taRef.current?.focus();
  }, [focusTick]);
  useEffect(() => {
    if (last) void mutate('markRead', { targetId: chatId, at: Math.max(Date.now(), last) }, { quiet: true });
  }, [chatId, last]);
  useLayoutEffect(() => {
    const el = logRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [d?.messages.length, chatId]);

  if (!d) return <section className="conv-pane">{!(q.isPending || q.isPlaceholderData || q.isFetching) && <div className="empty">This chat is no longer available.</div>}</section>;
  const title = chatTitle(d.chat, session?.userId, dir.userName);
  // chats are private to their participants: an admin outside holds its metadata row only (no messages)
  const member = !!session && d.chat.members.includes(session.userId);

  const send = async () => {
    const body = text.trim();
    if (!body && atts.length === 0) return;
    setText('');
    setAtts([]);
    const r = await mutate('sendChatMessage', { id: newId(), chatId, body, attachments: atts.length ? atts : undefined });
    if (!r.ok) setText(body);
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };
  const upload = async (files: FileList | null) => {
    try {
      for (const f of Array.from(files ?? [])) {
        const ref = await getBridge().command('uploadAttachment', { name: f.name, mime: f.type || 'application/octet-stream', dataBase64: await readFileBase64(f) });
        setAtts((a) => [...a, ref]);
      }
    } catch (e) {
      toast('error', `Upload failed: ${errorMessage(e)}`);
    }
  };

  return (
    <section className="conv-pane" aria-label={`Team chat: ${title}`}>
      <header className="conv-head">
        <div className="grow conv-title">
          <h1 className="ellipsis">{title}</h1>
          <div className="xs muted">{d.chat.members.map(dir.userName).join(', ')}</div>
        </div>
        {d.chat.kind === 'group' && d.canEdit && (
          <button type="button" className="btn sm" onClick={() => useUi.getState().openDialog({ kind: 'chat-members', chatId })} title="Add or remove people, rename, leave">
            <Users size={14} aria-hidden="true" /> Members
          </button>
        )}
        {d.canDelete && (
          <button type="button" className="icon-btn" aria-label="Delete chat" title="Delete chat" onClick={() => setConfirm(true)}>
            <Trash2 size={16} />
          </button>
        )}
      </header>
      {d.about && <ChatAbout about={d.about} />}
      {!member && (
        <div className="chat-notice" role="note" id="chat-not-member">
          <div>{NOT_MEMBER}</div>
          <dl className="meta-facts xs">
            <dt>Participants</dt>
            <dd>{d.chat.members.map(dir.userName).join(', ')}</dd>
            <dt>Kind</dt>
            <dd>{d.chat.kind === 'self' ? 'Notes' : d.chat.kind === 'direct' ? 'Direct chat' : 'Group chat'}</dd>
            <dt>Created</dt>
            <dd>{exactTime(d.chat.createdAt)}</dd>
            <dt>Last activity</dt>
            <dd>{exactTime(d.chat.lastActivityAt)}</dd>
            <dt>Messages</dt>
            <dd>{d.chat.metaOnly?.messageCount ?? 0}</dd>
          </dl>
        </div>
      )}
      <div ref={logRef} className="timeline" role="log" aria-label="Chat messages" tabIndex={0}>
        {d.messages.length === 0 && member && <div className="empty small">No messages yet. Say hello below.</div>}
        {d.messages.map((m, i) => {
          const mine = m.authorId === session?.userId;
          const prev = d.messages[i - 1];
          // consecutive messages from one person within 5 minutes read as one block
          const newDay = !prev || !isSameDay(prev.createdAt, m.createdAt);
          const cont = !newDay && !!prev && prev.authorId === m.authorId && m.createdAt - prev.createdAt < 5 * 60_000;
          return (
            <Fragment key={m.id}>
            {newDay && (
              <div className="day-sep" role="separator" aria-label={dayLabel(m.createdAt)}>
                <span>{dayLabel(m.createdAt)}</span>
              </div>
            )}
            <div className={clsx('chat-msg', mine && 'mine', m.pending && 'pending', cont && 'cont')}>
              {cont ? <span className="chat-gutter" aria-hidden="true" /> : <Avatar id={m.authorId} name={dir.userName(m.authorId)} />}
              <div className="grow">
                <div className={cont ? 'sr-only' : 'row xs'}>
                  <strong>{dir.userName(m.authorId)}</strong>
                  <time className="faint" title={exactTime(m.createdAt)}>
                    {clockTime(m.createdAt)}
                  </time>
                  {m.pending && <Clock size={11} aria-label="Waiting to sync" />}
                </div>
                <div className="chat-body">
                  <Linkified text={m.body} />
                </div>
                <Attachments refs={m.attachments} />
              </div>
            </div>
            </Fragment>
          );
        })}
        <FailureList failures={d.failures} />
      </div>
      {member && (
      <div className="composer">
        {atts.length > 0 && (
          <div className="row composer-atts">
            {atts.map((a) => (
              <span key={a.id} className="tag">
                {a.name}
                <button type="button" className="tag-x" aria-label={`Remove ${a.name}`} onClick={() => setAtts((l) => l.filter((x) => x.id !== a.id))}>
                  <X size={11} />
                </button>
              </span>
            ))}
          </div>
        )}
        <textarea
          ref={taRef}
          className="composer-text"
          rows={2}
          aria-label="Message"
          placeholder={member ? `Message ${title}` : NOT_MEMBER}
          disabled={!member}
          aria-describedby={member ? undefined : 'chat-not-member'}
          value={text} onChange={(e) => setText(e.target.value)} onKeyDown={onKey} />
        <div className="composer-bar row">
          <button type="button" className="icon-btn" aria-label="Attach file" title={member ? 'Attach a file' : NOT_MEMBER} disabled={!member} onClick={() => fileRef.current?.click()}>
            <Paperclip size={16} />
          </button>
          <input ref={fileRef} type="file" multiple hidden tabIndex={-1} onChange={(e) => void upload(e.target.files)} />
          <span className="grow" />
          <button type="button" className="btn primary" onClick={() => void send()} disabled={!member || (!text.trim() && atts.length === 0)} title={member ? undefined : NOT_MEMBER} aria-label="Send">
            <Send size={14} aria-hidden="true" /> Send
          </button>
        </div>
      </div>
      )}
      {confirm && (
        <Modal
          title="Delete chat?"
          onClose={() => setConfirm(false)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setConfirm(false)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn danger"
                onClick={() => {
                  setConfirm(false);
                  select(null);
                  void mutate('deleteChat', { chatId });
                }}
              >
                Delete chat
              </button>
            </>
          }
        >
          <p>“{title}” and all its messages are deleted for every member.</p>
        </Modal>
      )}
    </section>
  );
}
