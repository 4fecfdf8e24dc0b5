// Snooze (H), labels (L), send later and "save this view": small dialogs, keyboard-first.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { AlarmClock, Check, MessageSquareReply } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import { mutate, newId } from '../../lib/mutate';
import { useBridgeQuery } from '../../lib/queries';
import { conversationViews } from '../../lib/views';
import { fromLocalInput, toLocalInput, whenLabel, whenPresets, whenProblem } from '../../lib/when';
import { useDirectory } from '../../lib/directory';
import { useFilters } from '../../state/filters';
import { emptyDraft, useUi } from '../../state/ui';
import { LabelPill } from '../LabelPill';
import { Modal } from './Modal';

/** The presets (1, 2, 3… pick one), optionally "until the contact replies", and a chosen time. */
function WhenPicker({ action, onPick, untilReply }: { action: string; onPick: (at: number | null) => void; untilReply?: boolean }) {
  const presets = useMemo(() => whenPresets(), []);
  const [custom, setCustom] = useState(() => toLocalInput(presets[0]?.at ?? Date.now() + 3_600_000));
  const [problem, setProblem] = useState<string | null>(null);
  const inputId = useId();
  const choices: { key: string; label: string; detail: string; at: number | null }[] = [
    ...presets.map((p) => ({ key: p.key, label: p.label, detail: whenLabel(p.at), at: p.at })),
    ...(untilReply ? [{ key: 'reply', label: 'Until the contact replies', detail: 'or until someone unsnoozes it', at: null }] : []),
  ];
  const onKeyDown = (e: KeyboardEvent) => {
    const n = Number(e.key);
    const target = e.target as HTMLElement;
    if (target.tagName === 'INPUT' || !Number.isInteger(n) || n < 1) return;
    const c = choices[n - 1];
    if (c) {
      e.preventDefault();
      onPick(c.at);
    }
  };
  const pickCustom = () => {
    const at = fromLocalInput(custom);
    const p = whenProblem(at);
    setProblem(p);
    if (!p) onPick(at);
  };
  return (
    <div className="when-picker" onKeyDown={onKeyDown}>
      <div className="when-list" role="group" aria-label={`${action}: when`}>
        {choices.map((c, i) => (
          <button key={c.key} type="button" className="when-choice" onClick={() => onPick(c.at)} autoFocus={i === 0}>
            {c.at === null ? <MessageSquareReply size={15} aria-hidden="true" /> : <AlarmClock size={15} aria-hidden="true" />}
            <span className="grow">{c.label}</span>
            <span className="xs muted">{c.detail}</span>
            <kbd aria-hidden="true">{i + 1}</kbd>
          </button>
        ))}
      </div>
      <div className="field when-custom">
        <label htmlFor={inputId}>Pick a date and time</label>
        <div className="row">
          <input
            id={inputId}
            type="datetime-local"
            className="input grow"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                pickCustom();
              }
            }}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? `${inputId}-problem` : undefined}
          />
          <button type="button" className="btn primary" onClick={pickCustom}>
            {action}
          </button>
        </div>
        {problem && (
          <p id={`${inputId}-problem`} className="xs danger-text" role="alert">
            {problem}
          </p>
        )}
      </div>
    </div>
  );
}

export function SnoozeDialog({ conversationId }: { conversationId: string }) {
  const { close, select, setCursor } = useUi(useShallow((s) => ({ close: s.closeDialog, select: s.select, setCursor: s.setCursor })));
  const name = useBridgeQuery('conversation', { id: conversationId }).data?.contact.name ?? 'this conversation';
  const pick = (until: number | null) => {
    close();
    void mutate('snoozeConversation', { conversationId, until }).then((r) => {
      if (r.ok && useUi.getState().view.kind === 'inbox' && useUi.getState().selectedId === conversationId) {
        select(null);
        setCursor(conversationId);
      }
    });
  };
  return (
    <Modal title={`Snooze ${name}`} onClose={close} className="when-dialog">
      <p className="small muted">It leaves the inboxes and comes back, unread and at the top, at the time you choose — or as soon as the contact writes.</p>
      <WhenPicker action="Snooze" onPick={pick} untilReply />
    </Modal>
  );
}

/** A new scheduled reply (the composer's text), or a new time for one (`messageId`). */
export function SendLaterDialog({ conversationId, messageId }: { conversationId: string; messageId?: string }) {
  const close = useUi((s) => s.closeDialog);
  const draft = useUi((s) => s.drafts[conversationId]) ?? emptyDraft;
  const setDraft = useUi((s) => s.setDraft);
  const detail = useBridgeQuery('conversation', { id: conversationId }).data;
  const pick = (at: number | null) => {
    if (at === null || !detail) return;
    close();
    if (messageId) {
      void mutate('editScheduledMessage', { messageId, sendAt: at });
      return;
    }
    const body = draft.text.trim();
    const channel = draft.channel ?? detail.conversation.channel;
    setDraft(conversationId, { text: '' });
    void mutate('scheduleMessage', { id: newId(), conversationId, channel, body, sendAt: at }).then((r) => {
      if (!r.ok) setDraft(conversationId, { text: draft.text });
    });
  };
  return (
    <Modal title={messageId ? 'Change the time' : 'Send later'} onClose={close} className="when-dialog">
      {!messageId && (
        <p className="small muted">
          The relay sends it at that time, even if you are offline. The channel's rules (opt-out, WhatsApp's 24-hour window) are checked when it is sent.
        </p>
      )}
      <WhenPicker action={messageId ? 'Save' : 'Schedule'} onPick={pick} />
    </Modal>
  );
}

/** Toggle labels on a conversation: type to filter, Enter toggles the first match, click toggles any. */
export function LabelDialog({ conversationId }: { conversationId: string }) {
  const close = useUi((s) => s.closeDialog);
  const labels = useBridgeQuery('labels', {}).data ?? [];
  const detail = useBridgeQuery('conversation', { id: conversationId }).data;
  const [q, setQ] = useState('');
  const applied = new Set(detail?.conversation.labels ?? []);
  const shown = labels.filter((l) => l.name.toLowerCase().includes(q.trim().toLowerCase()));
  const toggle = (labelId: string) => void mutate('labelConversation', { conversationId, labelId, applied: !applied.has(labelId) });
  return (
    <Modal title="Labels" onClose={close} className="label-dialog">
      {labels.length === 0 ? (
        <p className="small muted">No labels yet. Admins create them under Teams and people → Labels.</p>
      ) : (
        <>
          <input
            className="input"
            placeholder="Filter labels"
            aria-label="Filter labels"
            value={q}
            autoFocus
            onChange={(e) => setQ(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && shown[0]) {
                e.preventDefault();
                toggle(shown[0].id);
              }
            }}
          />
          <div className="check-list label-list" role="group" aria-label="Labels">
            {shown.map((l) => (
              <label key={l.id} className="check">
                <input type="checkbox" checked={applied.has(l.id)} onChange={() => toggle(l.id)} aria-label={l.name} />
                <LabelPill name={l.name} color={l.color} />
                <span className="grow" />
                {applied.has(l.id) && <Check size={14} className="muted" aria-hidden="true" />}
              </label>
            ))}
            {shown.length === 0 && <p className="small muted">No label matches "{q}".</p>}
          </div>
        </>
      )}
    </Modal>
  );
}

/** Saves the list's current view and filters as a personal view in the sidebar. */
export function SaveViewDialog() {
  const close = useUi((s) => s.closeDialog);
  const view = useUi((s) => s.view);
  const filters = useFilters((s) => s.filters);
  const labels = useBridgeQuery('labels', {}).data ?? [];
  const dir = useDirectory();
  const inbox = view.kind === 'inbox' ? view.inbox : 'team';
  const groupId = (view.kind === 'inbox' ? view.groupId : null) ?? filters.groupId ?? null;
  const parts = [
    groupId ? dir.groupName(groupId) : conversationViews[inbox].label,
    filters.labelId ? labels.find((l) => l.id === filters.labelId)?.name : undefined,
    filters.assignee === 'unassigned' ? 'Unassigned' : filters.assignee ? dir.userName(filters.assignee) : undefined,
    filters.channel === 'sms' ? 'SMS' : filters.channel === 'whatsapp' ? 'WhatsApp' : undefined,
    filters.unreadOnly ? 'Unread' : undefined,
  ].filter(Boolean);
  const [name, setName] = useState(parts.slice(1).join(' · ') || parts[0] || 'My view');
  const [problem, setProblem] = useState<string | null>(null);
  const save = async () => {
    if (!name.trim()) return setProblem('Give the view a name.');
    const id = newId();
    const status = inbox === 'snoozed' ? 'snoozed' : inbox === 'archived' ? 'archived' : 'open';
    const f = { ...filters, status, groupId: groupId ?? undefined, unreadOnly: filters.unreadOnly || undefined } as const;
    const r = await mutate('saveView', { id, name: name.trim().slice(0, 60), filters: f });
    if (!r.ok) return;
    close();
    useFilters.getState().openSaved({ id, filters: f });
  };
  return (
    <Modal
      title="Save as a view"
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={() => void save()}>
            Save view
          </button>
        </>
      }
    >
      <p className="small muted">Shows in your sidebar under Views with its unread count: {parts.join(' · ')}. Only you see it.</p>
      <div className="field">
        <label htmlFor="view-name">Name</label>
        <input
          id="view-name"
          className="input"
          value={name}
          maxLength={60}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') void save();
          }}
          aria-invalid={problem ? true : undefined}
        />
        {problem && (
          <p className="xs danger-text" role="alert">
            {problem}
          </p>
        )}
      </div>
    </Modal>
  );
}
