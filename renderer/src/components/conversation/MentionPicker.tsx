// `@` in a note: suggests only the people who may see this conversation (the same predicate
// the relay checks, so a mention offered here is a mention accepted there). A picked person is
// inserted as `@Name` and mentioned when the note is added, as long as `@Name` is still in it.
import { useCallback, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { ConversationDetail } from '../../../../shared/bridge';
import { canBeMentioned, sessionViewer } from '../../../../shared/permissions';
import { mentionedIn, replaceToken, tokenAt } from '../../lib/canned';
import { useDirectory, useSession } from '../../lib/directory';
import { Avatar } from '../Avatar';
import { PickerList, pickerKey } from './PickerList';

interface Opts {
  detail: ConversationDetail;
  note: boolean;
  text: string;
  setText: (t: string) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
}

export function useMentionPicker({ detail, note, text, setText, textRef }: Opts) {
  const dir = useDirectory();
  const session = useSession();
  const [token, setToken] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  /** id → name of the people picked in this note */
  const picked = useRef(new Map<string, string>());
  const candidates = useMemo(
    () => dir.users.filter((u) => u.active && u.id !== session?.userId && canBeMentioned(sessionViewer({ userId: u.id, role: u.role }, dir.memberships), detail.conversation)),
    [dir, session?.userId, detail.conversation],
  );
  const options = useMemo(() => {
    if (!token) return [];
    const q = token.query.toLowerCase();
    return candidates.filter((u) => !q || u.name.toLowerCase().split(/\s+/).some((w) => w.startsWith(q)) || u.name.toLowerCase().startsWith(q) || u.email.toLowerCase().startsWith(q)).slice(0, 8);
  }, [candidates, token]);

  const update = useCallback(
    (el: HTMLTextAreaElement) => {
      setToken(note ? tokenAt(el.value, el.selectionStart, '@') : null);
      setActive(0);
    },
    [note],
  );

  const pick = (i: number) => {
    const u = options[i];
    const el = textRef.current;
    if (!u || !token || !el) return;
    const next = replaceToken(text, token.start, el.selectionStart, `@${u.name} `);
    picked.current.set(u.id, u.name);
    // rendered now and the caret placed at once, so a key typed right after lands after the name
    flushSync(() => {
      setText(next.text);
      setToken(null);
    });
    el.focus();
    el.setSelectionRange(next.caret, next.caret);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => (token ? pickerKey(e, options.length, active, setActive, pick, () => setToken(null)) : false);

  const popover = token ? (
    <PickerList
      id="mention-picker"
      label="Mention someone who can see this conversation"
      active={active}
      onHover={setActive}
      onPick={pick}
      empty={`Nobody who can see this conversation matches “${token.query}”.`}
      options={options.map((u) => ({
        id: u.id,
        label: (
          <span className="row">
            <Avatar id={u.id} name={u.name} /> {u.name}
          </span>
        ),
        aside: u.email,
      }))}
    />
  ) : null;

  return {
    update,
    onKeyDown,
    popover,
    open: !!token,
    activeId: token && options.length ? `mention-picker-${active}` : undefined,
    /** the people to mention for this note's text */
    mentionsIn: (body: string) => mentionedIn(body, picked.current),
    reset: () => picked.current.clear(),
  };
}
