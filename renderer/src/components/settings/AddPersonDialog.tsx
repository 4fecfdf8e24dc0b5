// Add a person: name, email, role, initial password and teams. The relay creates the
// account (needs a connection); they then appear in People through sync.
import { useState, type FormEvent } from 'react';
import { commandArgs } from '../../../../shared/bridge';
import { getBridge, errorMessage } from '../../../bridge';
import { useDirectory } from '../../lib/directory';
import { toast } from '../../state/toasts';
import { Modal } from '../dialogs/Modal';

type Field = 'name' | 'email' | 'password';
const MESSAGES: Record<Field, string> = {
  name: 'Enter their name.',
  email: 'Enter a valid email address.',
  password: 'The initial password needs at least 8 characters.',
};

/** Field-by-field problems with what was typed, or none. */
export function personErrors(input: unknown): Partial<Record<Field, string>> {
  const r = commandArgs.createUser.safeParse(input);
  const errs: Partial<Record<Field, string>> = {};
  if (!r.success) for (const i of r.error.issues) {
    const k = i.path[0] as Field;
    if (k in MESSAGES) errs[k] ??= MESSAGES[k];
  }
  return errs;
}

export function AddPersonDialog({ onClose }: { onClose: () => void }) {
  const dir = useDirectory();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<'agent' | 'admin'>('agent');
  const [password, setPassword] = useState('');
  const [groupIds, setGroupIds] = useState<string[]>([]);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const input = { name, email, role, password, groupIds };
    const errs = personErrors(input);
    setErrors(errs);
    if (Object.keys(errs).length) return;
    setBusy(true);
    try {
      const u = await getBridge().command('createUser', input);
      toast('success', `Added ${u.name}`);
      onClose();
    } catch (err) {
      setRefusal(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const field = (k: Field, label: string, type: string, value: string, set: (v: string) => void, hint?: string) => (
    <div className="field">
      <label htmlFor={`ap-${k}`}>{label}</label>
      <input id={`ap-${k}`} className="input" type={type} autoComplete="off" value={value} aria-invalid={!!errors[k]} aria-describedby={errors[k] ? `ap-${k}-err` : undefined} onChange={(e) => set(e.target.value)} placeholder={hint} />
      {errors[k] && (
        <span id={`ap-${k}-err`} className="field-error">
          {errors[k]}
        </span>
      )}
    </div>
  );
  const footer = (
    <>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      <button type="submit" form="add-person" className="btn primary" disabled={busy}>
        Add person
      </button>
    </>
  );
  return (
    <Modal title="Add a person" onClose={onClose} footer={footer}>
      <form id="add-person" className="account-form" onSubmit={(e) => void submit(e)} noValidate>
        {field('name', 'Name', 'text', name, setName)}
        {field('email', 'Email', 'email', email, setEmail)}
        <div className="field">
          <label htmlFor="ap-role">Role</label>
          <select id="ap-role" className="select" value={role} onChange={(e) => setRole(e.target.value as 'agent' | 'admin')}>
            <option value="agent">Agent</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        {field('password', 'Initial password', 'password', password, setPassword, 'at least 8 characters; they can change it later')}
        <fieldset className="fs">
          <legend>Teams</legend>
          {dir.groups.map((g) => (
            <label key={g.id} className="check">
              <input type="checkbox" checked={groupIds.includes(g.id)} onChange={(e) => setGroupIds((l) => (e.target.checked ? [...l, g.id] : l.filter((x) => x !== g.id)))} />
              {g.name}
            </label>
          ))}
        </fieldset>
        {refusal && (
          <p className="form-refusal" role="alert">
            {refusal}
          </p>
        )}
      </form>
    </Modal>
  );
}
