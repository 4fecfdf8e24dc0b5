// Reply box: channel switch, SMS counter, WhatsApp window / templates, attachments,
// note mode. Enter sends, Shift+Enter is a new line.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import clsx from 'clsx';
import { CalendarClock, MapPin, Paperclip, Send, StickyNote, X } from 'lucide-react';
import type { ConversationDetail } from '../../../../shared/bridge';
import type { AttachmentRef, Channel } from '../../../../shared/schema';
import { useUi, emptyDraft } from '../../state/ui';
import { mutate, newId } from '../../lib/mutate';
import { windowLeft } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { getBridge, errorMessage } from '../../../bridge';
import { toast } from '../../state/toasts';
import { readFileBase64 } from '../Attachments';
import { SmsCounter } from './SmsCounter';
import { TemplatePicker } from './TemplatePicker';
import { LocationDialog } from './LocationDialog';
import { useCannedPicker } from './CannedPicker';
import { useMentionPicker } from './MentionPicker';
import { bodyLimit } from '../../../../shared/domain/outbound';
import { justRepliedBefore } from '../Presence';
import { JustRepliedDialog } from '../dialogs/JustRepliedDialog';
import { useDirectory, useSession } from '../../lib/directory';

/** Grow the box with its text, up to the CSS max-height. */
function autoGrow(el: HTMLTextAreaElement): void {
  el.style.height = 'auto';
  el.style.height = `${el.scrollHeight + 2}px`;
}

export function Composer({ detail }: { detail: ConversationDetail }) {
  const { conversation: c, contact, group } = detail;
  const draft = useUi((s) => s.drafts[c.id]) ?? emptyDraft;
  const session = useSession();
  const { userName } = useDirectory();
  const setDraft = useUi((s) => s.setDraft);
  const focusTick = useUi((s) => s.composerFocus);
  const [attachments, setAttachments] = useState<AttachmentRef[]>([]);
  const [uploading, setUploading] = useState(false);
  const [locating, setLocating] = useState(false);
  /** a colleague's reply of the last seconds: asked about before sending on top of it */
  const [justReplied, setJustReplied] = useState<{ name: string; body: string } | null>(null);
  const refocus = useRef(false);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const channel: Channel = draft.channel ?? c.channel;
  const note = draft.noteMode;
  const now = useNow(60_000);
  const windowOpen = detail.whatsappWindowClosesAt !== null && detail.whatsappWindowClosesAt > now;
  const needsTemplate = !note && channel === 'whatsapp' && !windowOpen;
  // the limit is shown before sending: a text the relay would refuse cannot be sent
  const { tooLong } = bodyLimit(note ? 'note' : channel, draft.text.trim().length);

  useEffect(() => {
    if (focusTick > 0) textRef.current?.focus();
  }, [focusTick]);
  useEffect(() => {
    if (!draft.text && textRef.current) textRef.current.style.height = '';
  }, [draft.text]);
  // back in the text box once the just-replied question is closed (the page was inert under it)
  useEffect(() => {
    if (justReplied || !refocus.current) return;
    refocus.current = false;
    textRef.current?.focus();
  }, [justReplied]);

  const set = (d: Partial<typeof draft>) => setDraft(c.id, d);
  // `/` canned responses and `@` mentions (notes): CannedPicker.tsx, MentionPicker.tsx
  const setText = (text: string) => set({ text });
  const canned = useCannedPicker({ detail, channel, note, text: draft.text, setText, textRef, addAttachments: (a) => setAttachments((l) => [...l, ...a.filter((x) => !l.some((y) => y.id === x.id))]) });
  const mention = useMentionPicker({ detail, note, text: draft.text, setText, textRef });

  /** `confirmed`: the agent answered "send anyway" to the just-replied question */
  const send = async (confirmed = false) => {
    if (canned.onSend()) return; // `/word`: insert the canned response, as Enter does
    const body = draft.text.trim();
    if (tooLong || canned.blocked) return;
    if (note) {
      if (!body) return;
      set({ text: '' });
      const mentions = mention.mentionsIn(body);
      const r = await mutate('addNote', { id: newId(), conversationId: c.id, body, mentions: mentions.length ? mentions : undefined });
      if (r.ok) mention.reset();
      if (!r.ok) set({ text: draft.text });
      return;
    }
    if (!body && attachments.length === 0) return;
    const other = confirmed ? null : justRepliedBefore(detail, session?.userId);
    if (other) {
      setJustReplied({ name: userName(other.authorId), body: other.body });
      return;
    }
    const prev = { text: draft.text, attachments };
    set({ text: '' });
    setAttachments([]);
    const r = await mutate('sendMessage', {
      id: newId(),
      conversationId: c.status === 'open' ? c.id : undefined,
      newConversationId: c.status === 'open' ? undefined : newId(),
      contactId: contact.id,
      groupId: c.groupId,
      channel,
      body: draft.text.trim(),
      attachments: channel === 'whatsapp' && prev.attachments.length ? prev.attachments : undefined,
    });
    if (!r.ok) {
      set({ text: prev.text });
      setAttachments(prev.attachments);
    }
  };

  // Send later: the relay sends the text at a chosen time (text only, to this open conversation)
  const canSendLater = !note && c.status === 'open' && attachments.length === 0 && !!draft.text.trim() && !(channel === 'sms' && contact.optedOut);
  const sendLater = () => {
    if (canSendLater) useUi.getState().openDialog({ kind: 'send-later', conversationId: c.id });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (canned.onKeyDown(e) || mention.onKeyDown(e)) return;
    if (e.key === 'Enter' && e.shiftKey && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      sendLater();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    } else if (e.key === 'Escape') {
      e.currentTarget.blur();
    }
  };

  const upload = async (files: FileList | null) => {
    if (!files?.length) return;
    setUploading(true);
    try {
      for (const f of Array.from(files)) {
        const ref = await getBridge().command('uploadAttachment', { name: f.name, mime: f.type || 'application/octet-stream', dataBase64: await readFileBase64(f) });
        setAttachments((a) => [...a, ref]);
      }
    } catch (e) {
      toast('error', `Upload failed: ${errorMessage(e)}`);
    } finally {
      setUploading(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };

  const canWhatsApp = !!group.whatsappNumber;
  const canSms = !!group.smsNumber || !canWhatsApp;
  const placeholder = note ? 'Write an internal note — only your team sees it. @ mentions someone, / inserts a canned response' : `Reply to ${contact.name} by ${channel === 'sms' ? 'SMS' : 'WhatsApp'} — / for canned responses`;

  return (
    <div className={clsx('composer', note && 'note-mode')}>
      <div className="composer-top row">
        <div className="seg" role="radiogroup" aria-label="Channel">
          {(['sms', 'whatsapp'] as const).map((ch) => (
            <button
              key={ch}
              type="button"
              role="radio"
              aria-checked={channel === ch}
              className={clsx('seg-btn', channel === ch && 'on')}
              onClick={() => set({ channel: ch })}
              disabled={note || (ch === 'sms' ? !canSms : !canWhatsApp)}
            >
              {ch === 'sms' ? 'SMS' : 'WhatsApp'}
            </button>
          ))}
        </div>
        <span className="grow" />
        {!note && channel === 'whatsapp' && (
          <span className={clsx('xs', windowOpen ? 'muted' : 'warn-text')}>
            {windowOpen ? `24-hour window closes in ${windowLeft(detail.whatsappWindowClosesAt ?? now, now)}` : '24-hour window closed — only approved templates can be sent'}
          </span>
        )}
        {!note && channel === 'sms' && contact.optedOut && <span className="xs warn-text">{contact.name} opted out of SMS — texts cannot be sent</span>}
        {!note && c.status === 'archived' && <span className="xs muted">Archived — sending starts a new conversation</span>}
        {note && <span className="xs note-label">Internal note — not sent to {contact.name}</span>}
      </div>
      {needsTemplate ? (
        <TemplatePicker detail={detail} />
      ) : (
        <>
          {attachments.length > 0 && (
            <div className="row composer-atts">
              {attachments.map((a) => (
                <span key={a.id} className="tag">
                  <Paperclip size={11} aria-hidden="true" /> {a.name}
                  <button type="button" className="tag-x" aria-label={`Remove ${a.name}`} onClick={() => setAttachments((l) => l.filter((x) => x.id !== a.id))}>
                    <X size={11} />
                  </button>
                </span>
              ))}
            </div>
          )}
          <textarea
            ref={textRef}
            className="composer-text"
            aria-label={note ? 'Note' : 'Message'}
            placeholder={placeholder}
            value={draft.text}
            rows={3}
            onChange={(e) => {
              set({ text: e.target.value });
              autoGrow(e.currentTarget);
              canned.update(e.currentTarget);
              mention.update(e.currentTarget);
            }}
            onKeyDown={onKeyDown}
            aria-autocomplete="list"
            aria-controls={canned.open ? 'canned-picker' : mention.open ? 'mention-picker' : undefined}
            aria-activedescendant={canned.activeId ?? mention.activeId}
          />
          {canned.popover ?? mention.popover}
          {canned.hint}
          <div className="composer-bar row">
            <span title={channel === 'sms' ? 'SMS cannot carry attachments — switch to WhatsApp to send files' : 'Attach a file'}>
              <button type="button" className="icon-btn" aria-label="Attach file" disabled={note || channel === 'sms' || uploading} onClick={() => fileRef.current?.click()}>
                <Paperclip size={16} />
              </button>
            </span>
            {channel === 'whatsapp' && !note && (
              <button type="button" className="icon-btn" aria-label="Share location" title="Share a location" onClick={() => setLocating(true)}>
                <MapPin size={16} />
              </button>
            )}
            <input ref={fileRef} type="file" multiple hidden onChange={(e) => void upload(e.target.files)} aria-hidden="true" tabIndex={-1} />
            <button type="button" className="icon-btn" aria-label="Note mode" aria-pressed={note} title="Note mode (N)" onClick={() => set({ noteMode: !note })}>
              <StickyNote size={16} />
            </button>
            <span className="grow" />
            {tooLong ? (
              <span id={`too-long-${c.id}`} className="counter xs danger-text" role="status">
                {tooLong}
              </span>
            ) : (
              !note && channel === 'sms' && <SmsCounter text={draft.text} />
            )}
            {!note && c.status === 'open' && (
              <button type="button" className="icon-btn" aria-label="Send later" title="Send later (Ctrl+Shift+Enter)" disabled={!canSendLater || !!tooLong} onClick={sendLater}>
                <CalendarClock size={16} />
              </button>
            )}
            <button
              type="button"
              className="btn primary"
              onClick={() => void send()}
              disabled={uploading || !!tooLong || !!canned.blocked || (!draft.text.trim() && attachments.length === 0) || (!note && channel === 'sms' && contact.optedOut)}
              aria-describedby={tooLong ? `too-long-${c.id}` : undefined}
              aria-label={note ? 'Add note' : 'Send'}
            >
              <Send size={14} aria-hidden="true" /> {note ? 'Add note' : 'Send'}
            </button>
          </div>
        </>
      )}
      {justReplied && (
        <JustRepliedDialog
          name={justReplied.name}
          reply={justReplied.body}
          onCancel={() => {
            refocus.current = true;
            setJustReplied(null);
          }}
          onSend={() => {
            refocus.current = true;
            setJustReplied(null);
            void send(true);
          }}
        />
      )}
      {locating && (
        <LocationDialog
          onClose={() => setLocating(false)}
          onSend={(location) => {
            setLocating(false);
            void mutate('sendMessage', {
              id: newId(),
              conversationId: c.status === 'open' ? c.id : undefined,
              newConversationId: c.status === 'open' ? undefined : newId(),
              contactId: contact.id,
              groupId: c.groupId,
              channel: 'whatsapp',
              body: '',
              location,
            });
          }}
        />
      )}
    </div>
  );
}
