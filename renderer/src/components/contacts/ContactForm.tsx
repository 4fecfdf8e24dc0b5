// Create or edit a contact, with the same validation the mutators apply.
import { useState, type FormEvent } from 'react';
import { issueSentence } from '../../../../shared/refusals';
import type { Contact } from '../../../../shared/schema';
import { normalisePhone } from '../../../../shared/phone';
import { args } from '../../../../shared/mutators/args';
import { mutate, newId } from '../../lib/mutate';

type Errors = Partial<Record<'name' | 'phone' | 'email' | 'tags' | 'notes', string>>;

export function parseTags(s: string): string[] {
  return [...new Set(s.split(',').map((t) => t.trim()).filter(Boolean))];
}

export function ContactForm({ contact, onDone }: { contact?: Contact; onDone: (id: string | null) => void }) {
  const [name, setName] = useState(contact?.name ?? '');
  const [phone, setPhone] = useState(contact?.phone ?? '');
  const [email, setEmail] = useState(contact?.email ?? '');
  const [tags, setTags] = useState(contact?.tags.join(', ') ?? '');
  const [notes, setNotes] = useState(contact?.notes ?? '');
  const [errors, setErrors] = useState<Errors>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const id = contact?.id ?? newId();
    const fields = { id, name, phone, email: email.trim() || null, tags: parseTags(tags), notes };
    const errs: Errors = {};
    const parsed = args.createContact.safeParse(fields);
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = i.path[0] as keyof Errors;
        if (k && !errs[k]) errs[k] = k === 'email' ? 'Enter a valid email address, or leave it empty.' : k === 'name' ? 'Enter a name.' : issueSentence(i);
      }
    }
    const p = normalisePhone(phone);
    if (!p.ok) errs.phone = p.message;
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    const r = contact ? await mutate('updateContact', fields) : await mutate('createContact', fields);
    if (r.ok) onDone(id);
    else if (r.code === 'conflict' || r.code === 'invalid') setErrors({ phone: r.message });
  };

  const field = (id: keyof Errors, label: string, input: React.ReactNode) => (
    <div className="field">
      <label htmlFor={`cf-${id}`}>{label}</label>
      {input}
      {errors[id] && (
        <span id={`cf-${id}-err`} className="field-error">
          {errors[id]}
        </span>
      )}
    </div>
  );
  const common = (id: keyof Errors) => ({ id: `cf-${id}`, 'aria-invalid': !!errors[id], 'aria-describedby': errors[id] ? `cf-${id}-err` : undefined });

  return (
    <form className="contact-form" onSubmit={(e) => void submit(e)} noValidate aria-label={contact ? 'Edit contact' : 'New contact'}>
      <h2>{contact ? `Edit ${contact.name}` : 'New contact'}</h2>
      {field('name', 'Name', <input className="input" {...common('name')} value={name} onChange={(e) => setName(e.target.value)} autoFocus={!contact} data-autofocus={!contact || undefined} />)}
      {field('phone', 'Phone', <input className="input" {...common('phone')} value={phone} onChange={(e) => setPhone(e.target.value)} placeholder="+44 7700 900123" inputMode="tel" />)}
      {field('email', 'Email (optional)', <input className="input" type="email" {...common('email')} value={email} onChange={(e) => setEmail(e.target.value)} />)}
      {field('tags', 'Tags, separated by commas', <input className="input" {...common('tags')} value={tags} onChange={(e) => setTags(e.target.value)} placeholder="vip, wholesale" />)}
      {field('notes', 'Notes', <textarea className="textarea" rows={3} {...common('notes')} value={notes} onChange={(e) => setNotes(e.target.value)} />)}
      <div className="row">
        <button type="submit" className="btn primary">
          Save
        </button>
        <button type="button" className="btn" onClick={() => onDone(contact?.id ?? null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
