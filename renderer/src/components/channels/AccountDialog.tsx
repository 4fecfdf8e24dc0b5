// Add or edit a provider account: kind, team, public fields, secrets (blank on edit keeps
// the stored ones). Checked here for shape; the relay's refusal is shown word for word.
import { useState, type FormEvent } from 'react';
import type { ProviderAccountView } from '../../../../shared/http';
import { getBridge, errorMessage } from '../../../bridge';
import { useDirectory } from '../../lib/directory';
import { toast } from '../../state/toasts';
import { Modal } from '../dialogs/Modal';
import { ACCOUNT_KINDS, buildAccountInput, initialState, type AccountKind, type FieldSpec, type FormErrors } from './accountForm.logic';

export function AccountDialog({ account, onClose, onSaved }: { account: ProviderAccountView | null; onClose: () => void; onSaved: () => void }) {
  const dir = useDirectory();
  const editing = !!account;
  const [s, setS] = useState(() => initialState(account, dir.groups[0]?.id ?? ''));
  const [errors, setErrors] = useState<FormErrors>({});
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const spec = ACCOUNT_KINDS[s.kind];
  const setVal = (k: string, v: string) => setS((x) => ({ ...x, values: { ...x.values, [k]: v } }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setRefusal(null);
    const r = buildAccountInput(s, editing);
    if (!r.ok) {
      setErrors(r.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await getBridge().command('saveProviderAccount', r.input);
      toast('success', `Saved ${ACCOUNT_KINDS[s.kind].label}${saved.groupName ? ` for ${saved.groupName}` : ''}`);
      onSaved();
      onClose();
    } catch (err) {
      setRefusal(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const input = (f: FieldSpec, secret: boolean) => {
    const id = `acct-${f.key}`;
    const err = errors[f.key];
    return (
      <div className="field" key={f.key}>
        <label htmlFor={id}>
          {f.label}
          {f.optional ? ' (optional)' : ''}
        </label>
        <input
          id={id}
          className="input"
          type={secret ? 'password' : 'text'}
          autoComplete="off"
          value={s.values[f.key] ?? ''}
          placeholder={secret && editing ? 'Stored — leave blank to keep' : f.placeholder}
          aria-invalid={!!err}
          aria-describedby={err ? `${id}-err` : undefined}
          onChange={(e) => setVal(f.key, e.target.value)}
        />
        {err && (
          <span id={`${id}-err`} className="field-error">
            {err}
          </span>
        )}
      </div>
    );
  };

  const footer = (
    <>
      <button type="button" className="btn" onClick={onClose}>
        Cancel
      </button>
      <button type="submit" form="account-form" className="btn primary" disabled={busy}>
        Save account
      </button>
    </>
  );
  return (
    <Modal title={editing ? `Edit ${spec.label} account` : 'Add a provider account'} onClose={onClose} footer={footer} wide>
      <form id="account-form" className="account-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="row form-row">
          <div className="field grow">
            <label htmlFor="acct-kind">Provider</label>
            <select id="acct-kind" className="select" value={s.kind} disabled={editing} onChange={(e) => setS((x) => ({ ...x, kind: e.target.value as AccountKind }))}>
              {(Object.keys(ACCOUNT_KINDS) as AccountKind[]).map((k) => (
                <option key={k} value={k}>
                  {ACCOUNT_KINDS[k].label}
                </option>
              ))}
            </select>
          </div>
          {spec.kind !== 'stripe' && (
            <div className="field grow">
              <label htmlFor="acct-group">Team</label>
              <select id="acct-group" className="select" value={s.groupId} disabled={editing} aria-invalid={!!errors.groupId} onChange={(e) => setS((x) => ({ ...x, groupId: e.target.value }))}>
                {dir.groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
              {errors.groupId && <span className="field-error">{errors.groupId}</span>}
            </div>
          )}
          <div className="field">
            <label htmlFor="acct-rate">Sends per second</label>
            <input id="acct-rate" className="input rate-input" inputMode="numeric" value={s.rate} placeholder="default" aria-invalid={!!errors.rate} aria-describedby={errors.rate ? 'acct-rate-err' : undefined} onChange={(e) => setS((x) => ({ ...x, rate: e.target.value }))} />
            {errors.rate && (
              <span id="acct-rate-err" className="field-error">
                {errors.rate}
              </span>
            )}
          </div>
        </div>
        {spec.publicFields.map((f) => input(f, false))}
        <fieldset className="fs secrets-fs">
          <legend>Secrets {editing ? '— leave blank to keep the stored ones' : ''}</legend>
          {spec.secretFields.map((f) => input(f, true))}
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
