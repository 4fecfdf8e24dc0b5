// Canned responses: create, edit and delete saved replies. Personal ones are yours alone;
// shared ones belong to a team and only admins change them (the relay refuses others too).
// Variables are filled in the composer from the conversation (`/` opens the picker there).
import { useRef, useState, type FormEvent } from 'react';
import clsx from 'clsx';
import { MessageSquareText, Paperclip, Plus, Trash2, X } from 'lucide-react';
import { useShallow } from 'zustand/react/shallow';
import type { Session } from '../../../shared/bridge';
import { args } from '../../../shared/mutators/args';
import { canEditCanned, canManageSharedCanned, canSeeGroup, sessionViewer } from '../../../shared/permissions';
import { issueSentence } from '../../../shared/refusals';
import type { AttachmentRef, CannedResponse } from '../../../shared/schema';
import { getBridge, errorMessage } from '../../bridge';
import { readFileBase64 } from '../components/Attachments';
import { CANNED_VARIABLES } from '../lib/canned';
import { useDirectory } from '../lib/directory';
import { plural } from '../lib/format';
import { mutate, newId } from '../lib/mutate';
import { useBridgeQuery } from '../lib/queries';
import { toast } from '../state/toasts';
import { useUi } from '../state/ui';

type Errors = Partial<Record<'title' | 'body' | 'form', string>>;

function CannedForm({ session, existing, onDone }: { session: Session; existing: CannedResponse | null; onDone: (id: string | null) => void }) {
  const dir = useDirectory();
  const me = sessionViewer(session, dir.memberships);
  const admin = canManageSharedCanned(me);
  const groups = dir.groups.filter((g) => canSeeGroup(me, g.id));
  const [title, setTitle] = useState(existing?.title ?? '');
  const [body, setBody] = useState(existing?.body ?? '');
  const [groupId, setGroupId] = useState<string | null>(existing ? existing.groupId : null);
  const [attachments, setAttachments] = useState<AttachmentRef[]>(existing?.attachments ?? []);
  const [errors, setErrors] = useState<Errors>({});
  const [uploading, setUploading] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);
  const editable = !existing || canEditCanned(me, existing);

  const insertVariable = (key: string) => {
    const el = bodyRef.current;
    const token = `{{${key}}}`;
    const at = el ? el.selectionStart : body.length;
    const to = el ? el.selectionEnd : body.length;
    setBody(body.slice(0, at) + token + body.slice(to));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
    });
  };
  const upload = async (files: FileList | null) => {
    setUploading(true);
    try {
      for (const f of Array.from(files ?? [])) {
        const ref = await getBridge().command('uploadAttachment', { name: f.name, mime: f.type || 'application/octet-stream', dataBase64: await readFileBase64(f) });
        setAttachments((a) => (a.some((x) => x.id === ref.id) ? a : [...a, ref]));
      }
    } catch (e) {
      toast('error', `Upload failed: ${errorMessage(e)}`);
    } finally {
      setUploading(false);
      if (fileRef.current) fileRef.current.value = '';
    }
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const fields = { title, body, attachments };
    const parsed = args.createCannedResponse.safeParse({ id: 'x', groupId, ...fields });
    const errs: Errors = {};
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = i.path[0];
        if ((k === 'title' || k === 'body') && !errs[k]) errs[k] = issueSentence(i);
      }
    }
    setErrors(errs);
    if (Object.keys(errs).length) return;
    const id = existing?.id ?? newId();
    const r = existing ? await mutate('updateCannedResponse', { id, ...fields }, { quiet: true }) : await mutate('createCannedResponse', { id, groupId, ...fields }, { quiet: true });
    if (r.ok) onDone(id);
    else setErrors({ form: r.message });
  };

  return (
    <form className="contact-detail canned-form" onSubmit={(e) => void submit(e)} aria-label={existing ? `Edit ${existing.title}` : 'New canned response'}>
      <h1>{existing ? (editable ? 'Edit canned response' : existing.title) : 'New canned response'}</h1>
      {!editable && <p className="small muted">Shared with {dir.groupName(existing?.groupId ?? '')}. Only admins can change shared canned responses.</p>}
      <div className="field">
        <label htmlFor="canned-title">Title</label>
        <input id="canned-title" className="input" value={title} disabled={!editable} maxLength={80} aria-invalid={!!errors.title} aria-describedby={errors.title ? 'canned-title-err' : undefined} onChange={(e) => setTitle(e.target.value)} placeholder="Shipping times" data-autofocus />
        {errors.title && <span id="canned-title-err" className="field-error">{errors.title}</span>}
      </div>
      <div className="field">
        <label htmlFor="canned-body">Text</label>
        <textarea id="canned-body" ref={bodyRef} className="textarea" rows={6} value={body} disabled={!editable} aria-invalid={!!errors.body} aria-describedby={errors.body ? 'canned-body-err' : 'canned-vars'} onChange={(e) => setBody(e.target.value)} placeholder="Hi {{contact.first_name}}, your order ships today." />
        {errors.body && <span id="canned-body-err" className="field-error">{errors.body}</span>}
      </div>
      {editable && (
        <div className="field">
          <span className="field-label" id="canned-vars">Insert a variable (filled in from the conversation; one without a value is left for you to fill)</span>
          <div className="row wrap canned-vars" role="group" aria-labelledby="canned-vars">
            {CANNED_VARIABLES.map((v) => (
              <button key={v.key} type="button" className="btn sm var-btn" title={`The ${v.label}`} onClick={() => insertVariable(v.key)}>
                {`{{${v.key}}}`}
              </button>
            ))}
          </div>
        </div>
      )}
      <div className="field">
        <span className="field-label">Who can use it</span>
        {existing ? (
          <span className="small">{existing.ownerId ? 'Only you (personal)' : `Everyone in ${dir.groupName(existing.groupId ?? '')} (shared)`}</span>
        ) : (
          <select className="select" aria-label="Who can use it" value={groupId ?? ''} onChange={(e) => setGroupId(e.target.value || null)} disabled={!admin} title={admin ? undefined : 'Only admins can share canned responses with a team'}>
            <option value="">Only you (personal)</option>
            {admin && groups.map((g) => <option key={g.id} value={g.id}>{`Everyone in ${g.name} (shared)`}</option>)}
          </select>
        )}
        {!admin && !existing && <span className="xs faint">Only admins can share canned responses with a team.</span>}
      </div>
      <div className="field">
        <span className="field-label">Attachments (sent on WhatsApp only; SMS cannot carry files)</span>
        <div className="row wrap">
          {attachments.map((a) => (
            <span key={a.id} className="tag">
              <Paperclip size={11} aria-hidden="true" /> {a.name}
              {editable && (
                <button type="button" className="tag-x" aria-label={`Remove ${a.name}`} onClick={() => setAttachments((l) => l.filter((x) => x.id !== a.id))}>
                  <X size={11} />
                </button>
              )}
            </span>
          ))}
          {editable && (
            <button type="button" className="btn sm" disabled={uploading} onClick={() => fileRef.current?.click()}>
              <Paperclip size={13} aria-hidden="true" /> {uploading ? 'Uploading…' : 'Attach a file'}
            </button>
          )}
          <input ref={fileRef} type="file" multiple hidden tabIndex={-1} aria-hidden="true" onChange={(e) => void upload(e.target.files)} />
        </div>
      </div>
      {errors.form && <p className="field-error" role="alert">{errors.form}</p>}
      {editable && (
        <div className="row">
          <button type="submit" className="btn primary">{existing ? 'Save' : 'Create'}</button>
          <button type="button" className="btn" onClick={() => onDone(existing?.id ?? null)}>Cancel</button>
          <span className="grow" />
          {existing && (
            <button
              type="button"
              className="btn danger-ghost"
              onClick={() => {
                void mutate('deleteCannedResponse', { id: existing.id }).then((r) => r.ok && onDone(null));
              }}
            >
              <Trash2 size={14} aria-hidden="true" /> Delete
            </button>
          )}
        </div>
      )}
    </form>
  );
}

export function CannedView({ session }: { session: Session }) {
  const list = useBridgeQuery('cannedResponses', {}).data;
  const dir = useDirectory();
  const { selectedId, cursorId, select } = useUi(useShallow((s) => ({ selectedId: s.selectedId, cursorId: s.cursorId, select: s.select })));
  const [creating, setCreating] = useState(false);
  const items = list ?? [];
  const selected = items.find((r) => r.id === selectedId) ?? null;
  return (
    <>
      <section className="list-pane" aria-label="Canned responses">
        <header className="pane-head">
          <div className="grow">
            <h1>Canned responses</h1>
            <div className="xs faint">{plural(items.length, 'saved reply', 'saved replies')} · type / in a reply to use one</div>
          </div>
          <button type="button" className="btn sm primary" onClick={() => { setCreating(true); select(null); }}>
            <Plus size={14} aria-hidden="true" /> New
          </button>
        </header>
        {items.length === 0 && list ? (
          <div className="empty">
            <MessageSquareText size={28} aria-hidden="true" />
            <h2>No canned responses yet</h2>
            <p className="small">Save replies you send often, with variables like {'{{contact.first_name}}'}; then type / in the composer.</p>
          </div>
        ) : (
          <div className="list-scroll" role="listbox" aria-label="Canned responses" tabIndex={0}>
            {items.map((r) => (
              <div key={r.id} role="option" aria-selected={r.id === selectedId} className={clsx('contact-row canned-row', r.id === selectedId && 'selected', r.id === cursorId && 'cursor')} onClick={() => { setCreating(false); select(r.id); }}>
                <div className="grow">
                  <div className="row">
                    <span className="ellipsis strong grow">{r.title}</span>
                    {r.attachments.length > 0 && <Paperclip size={12} className="faint" aria-label="Has attachments" />}
                    <span className={clsx('pill', r.ownerId ? '' : 'brand')}>{r.ownerId ? 'Personal' : dir.groupName(r.groupId ?? '')}</span>
                  </div>
                  <div className="xs faint ellipsis">{r.body}</div>
                </div>
              </div>
            ))}
          </div>
        )}
      </section>
      <section className="conv-pane contact-pane">
        {creating || selected ? (
          <CannedForm key={selected?.id ?? 'new'} session={session} existing={creating ? null : selected} onDone={(id) => { setCreating(false); select(id); }} />
        ) : (
          <div className="empty">
            <MessageSquareText size={28} aria-hidden="true" />
            <h2>Pick a canned response</h2>
            <p className="small">Or create one with New. In a reply, type / and a few letters of its title, then Enter.</p>
          </div>
        )}
      </section>
    </>
  );
}
