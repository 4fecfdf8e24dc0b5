// CSV import with a per-line error report; CSV export as a file download.
import { useState } from 'react';
import { getBridge, errorMessage } from '../../../bridge';
import { toast } from '../../state/toasts';
import { Modal } from '../dialogs/Modal';
import { plural } from '../../lib/format';
import { saveTextFile } from '../../lib/saveFile';
import { FilePicker } from '../FilePicker';
import type { ImportOutcomeRow, ImportPreviewRow } from '../../../../shared/bridge';

export async function exportCsv(): Promise<void> {
  try {
    const { csv, count } = await getBridge().command('exportContactsCsv', {});
    saveTextFile(csv, `parley-contacts-${new Date().toISOString().slice(0, 10)}.csv`);
    toast('success', `Exported ${plural(count, 'contact')}`);
  } catch (e) {
    toast('error', `Export failed: ${errorMessage(e)}`);
  }
}

type MatchAction = 'update' | 'keep' | 'skip';
const ACTION_LABEL: Record<MatchAction, string> = { keep: 'Keep the existing contact (add tags)', update: 'Update it from the file', skip: 'Skip the line' };
const OUTCOME_LABEL: Record<ImportOutcomeRow['outcome'], string> = { created: 'Created', updated: 'Updated', kept: 'Kept', skipped: 'Skipped', invalid: 'Invalid', refused: 'Refused' };

function ActionSelect({ value, onChange, label }: { value: MatchAction; onChange: (a: MatchAction) => void; label: string }) {
  return (
    <select className="select" aria-label={label} value={value} onChange={(e) => onChange(e.target.value as MatchAction)}>
      {(Object.keys(ACTION_LABEL) as MatchAction[]).map((a) => (
        <option key={a} value={a}>
          {ACTION_LABEL[a]}
        </option>
      ))}
    </select>
  );
}

/** Import in three steps: the file, a preview of every line (nothing written), the outcome of every line. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [csv, setCsv] = useState('');
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<ImportPreviewRow[] | null>(null);
  const [onMatch, setOnMatch] = useState<MatchAction>('keep');
  const [choices, setChoices] = useState<Record<string, MatchAction>>({});
  const [result, setResult] = useState<ImportOutcomeRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reset = (text: string) => {
    setCsv(text);
    setPreview(null);
    setResult(null);
    setChoices({});
  };
  const step = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const doPreview = () => step(async () => setPreview((await getBridge().command('previewContactsCsv', { csv })).rows));
  const doImport = () => step(async () => setResult((await getBridge().command('importContactsCsv', { csv, onMatch, choices })).rows));
  const count = (st: ImportPreviewRow['status']) => preview?.filter((r) => r.status === st).length ?? 0;
  const writable = (preview ?? []).filter((r) => r.status === 'new' || (r.status === 'match' && (choices[String(r.line)] ?? onMatch) !== 'skip')).length;
  return (
    <Modal
      title="Import contacts"
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            {result ? 'Done' : 'Cancel'}
          </button>
          {!result && !preview && (
            <button type="button" className="btn primary" disabled={!csv.trim() || busy} onClick={() => void doPreview()}>
              {busy ? 'Reading…' : 'Preview'}
            </button>
          )}
          {!result && preview && (
            <button type="button" className="btn primary" disabled={busy || writable === 0} onClick={() => void doImport()}>
              {busy ? 'Importing…' : `Import ${plural(writable, 'line')}`}
            </button>
          )}
        </>
      }
    >
      {!preview && (
        <>
          <p className="small muted">
            A CSV file with a header row: <code>name,phone,email,tags,notes</code> (tags separated by <code>;</code>). Phone numbers in any common format. You see what will happen to every line before anything is saved.
          </p>
          <div className="field">
            <label htmlFor="csv-file">CSV file</label>
            <FilePicker id="csv-file" accept=".csv,text/csv" label="Choose a CSV file" onFile={(f) => void f.text().then(reset)} />
          </div>
          <div className="field">
            <label htmlFor="csv-text">Or paste CSV</label>
            <textarea id="csv-text" className="textarea mono" rows={6} value={csv} onChange={(e) => reset(e.target.value)} />
          </div>
        </>
      )}
      {busy && <progress className="progress" aria-label={preview ? 'Importing contacts' : 'Reading the file'} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {preview && !result && (
        <div className="import-preview">
          <p className="small" role="status">
            {plural(count('new'), 'new contact')}, {plural(count('match'), 'line')} matching an existing contact, {plural(count('invalid'), 'invalid line')}. Nothing is saved until you import.
          </p>
          {count('match') > 0 && (
            <div className="row small">
              <span>Lines that match an existing contact:</span>
              <ActionSelect value={onMatch} onChange={setOnMatch} label="For every matching line" />
            </div>
          )}
          <table className="import-table small" aria-label="Import preview">
            <thead>
              <tr>
                <th>Line</th>
                <th>Name</th>
                <th>Phone</th>
                <th>What happens</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((r) => (
                <tr key={r.line} className={r.status}>
                  <td>{r.line}</td>
                  <td>{r.name || '—'}</td>
                  <td>{r.phone || '—'}</td>
                  <td>
                    {r.status === 'new' && <span className="pill success">New contact</span>}
                    {r.status === 'invalid' && <span className="field-error">Invalid: {r.reason}</span>}
                    {r.status === 'match' && (
                      <div className="import-match">
                        <span>
                          Matches <strong>{r.existing?.name}</strong>
                          {r.differences.length ? ` — differs in ${r.differences.join(', ')}` : ' — same details'}
                        </span>
                        <ActionSelect
                          value={choices[String(r.line)] ?? onMatch}
                          onChange={(a) => setChoices((c) => ({ ...c, [String(r.line)]: a }))}
                          label={`Line ${r.line}: ${r.name}`}
                        />
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {result && (
        <div role="status" className="import-result">
          <p>
            <strong>
              {plural(result.filter((r) => r.outcome === 'created').length, 'contact')} created, {result.filter((r) => r.outcome === 'updated').length} updated,{' '}
              {result.filter((r) => r.outcome === 'kept').length} kept, {result.filter((r) => r.outcome === 'skipped').length} skipped,{' '}
              {result.filter((r) => r.outcome === 'invalid' || r.outcome === 'refused').length} not imported.
            </strong>
          </p>
          <table className="import-table small" aria-label="Import result">
            <tbody>
              {result.map((r) => (
                <tr key={r.line}>
                  <td>Line {r.line}</td>
                  <td>{r.name || '—'}</td>
                  <td>{OUTCOME_LABEL[r.outcome]}</td>
                  <td className="muted">{r.reason ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Modal>
  );
}
