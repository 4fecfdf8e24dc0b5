// `/` in the composer: a filtered list of canned responses (mine, then my team's). Enter inserts
// the chosen one with its variables filled from the conversation; variables without a value
// stay as {{name}}, are listed under the box and selected one by one for the agent to type over,
// and block Send until filled. Attachments come along on WhatsApp only.
import { useCallback, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { flushSync } from 'react-dom';
import { Paperclip } from 'lucide-react';
import type { ConversationDetail } from '../../../../shared/bridge';
import type { AttachmentRef, Channel } from '../../../../shared/schema';
import { cannedValues, fillVariables, matchCanned, replaceToken, tokenAt, unfilledIn } from '../../lib/canned';
import { useBridgeQuery } from '../../lib/queries';
import { useSession } from '../../lib/directory';
import { toast } from '../../state/toasts';
import { PickerList, pickerKey } from './PickerList';

interface Opts {
  detail: ConversationDetail;
  channel: Channel;
  note: boolean;
  text: string;
  setText: (t: string) => void;
  textRef: RefObject<HTMLTextAreaElement | null>;
  addAttachments: (a: AttachmentRef[]) => void;
}

/**
 * Puts the caret (or a selection) in the text box. Callers render the new text first
 * (flushSync), so the caret is placed before the next key arrives: a deferred placement would
 * move it under the agent's fingers on a busy machine and split their words.
 */
function placeCaret(el: HTMLTextAreaElement | null, from: number, to = from): void {
  if (!el) return;
  el.focus();
  el.setSelectionRange(from, to);
}

/** Selects the first `{{…}}` at or after `from` (wrapping), so typing replaces it. */
export function selectNextPlaceholder(el: HTMLTextAreaElement | null, text: string, from = 0): boolean {
  const re = /\{\{[^}]*\}\}/g;
  re.lastIndex = from;
  const m = re.exec(text) ?? (from > 0 ? /\{\{[^}]*\}\}/.exec(text) : null);
  if (!m) return false;
  placeCaret(el, m.index, m.index + m[0].length);
  return true;
}

export function useCannedPicker({ detail, channel, note, text, setText, textRef, addAttachments }: Opts) {
  const session = useSession();
  const list = useBridgeQuery('cannedResponses', { groupId: detail.conversation.groupId }).data;
  const [token, setToken] = useState<{ start: number; query: string } | null>(null);
  const [active, setActive] = useState(0);
  const options = useMemo(() => (token ? matchCanned(list ?? [], token.query) : []), [list, token]);
  const unfilled = useMemo(() => unfilledIn(text), [text]);

  /** After every change of the text box: open, filter or close the picker. */
  const update = useCallback((el: HTMLTextAreaElement) => {
    const t = tokenAt(el.value, el.selectionStart, '/');
    setToken(t);
    setActive(0);
  }, []);

  const pick = (i: number) => {
    const r = options[i];
    const el = textRef.current;
    if (!r || !token || !el) return;
    const filled = fillVariables(r.body, cannedValues(detail, session?.name ?? ''));
    const next = replaceToken(text, token.start, el.selectionStart, filled.text);
    flushSync(() => {
      setText(next.text);
      setToken(null);
    });
    if (r.attachments.length) {
      if (channel === 'whatsapp' && !note) addAttachments(r.attachments);
      else toast('info', `“${r.title}” has ${r.attachments.length === 1 ? 'an attachment' : 'attachments'}: they are sent on WhatsApp only, so they were left out.`);
    }
    // the first variable left to fill is selected, so typing replaces it
    if (!selectNextPlaceholder(el, next.text, token.start)) placeCaret(el, next.caret);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (token) return pickerKey(e, options.length, active, setActive, pick, () => setToken(null), true);
    // Tab jumps to the next variable still to fill
    if (e.key === 'Tab' && !e.shiftKey && unfilled.length) {
      e.preventDefault();
      selectNextPlaceholder(e.currentTarget, text, e.currentTarget.selectionEnd);
      return true;
    }
    return false;
  };

  /**
   * Send (the button) while `/word` is being typed does what Enter does, never sends the literal
   * `/word`: the one matching response is inserted, else the list stays open to choose from.
   * True when Send was the picker's.
   */
  const onSend = (): boolean => {
    if (!token) return false;
    if (options.length === 1) pick(0);
    else textRef.current?.focus();
    return true;
  };

  const popover = token ? (
    <PickerList
      id="canned-picker"
      label="Canned responses"
      active={active}
      onHover={setActive}
      onPick={pick}
      empty={list?.length ? `No canned response matches “${token.query}”.` : 'No canned responses yet. Create them under Canned responses in the sidebar.'}
      options={options.map((r) => ({
        id: r.id,
        label: r.title,
        detail: r.body,
        aside: (
          <>
            {r.attachments.length > 0 && (
              <span title={channel === 'whatsapp' && !note ? `${r.attachments.length} attachment(s)` : 'Attachments are sent on WhatsApp only'}>
                <Paperclip size={11} aria-label="Has attachments" /> {channel === 'whatsapp' && !note ? '' : 'WhatsApp only'}
              </span>
            )}{' '}
            {r.ownerId ? 'Personal' : 'Team'}
          </>
        ),
      }))}
    />
  ) : null;

  const blocked = unfilled.length > 0 ? `Fill in ${unfilled.join(', ')} before sending.` : null;
  const hint = unfilled.length ? (
    <div className="canned-hint xs" role="status">
      Fill in {unfilled.map((u) => <mark key={u} className="var-mark">{u}</mark>)} before sending
      <span className="faint"> · Tab jumps to the next one</span>
    </div>
  ) : null;

  return { update, onKeyDown, onSend, popover, hint, blocked, open: !!token, activeId: token && options.length ? `canned-picker-${active}` : undefined };
}
