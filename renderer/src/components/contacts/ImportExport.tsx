// CSV import with a per-line error report; CSV export as a file download.
import { useState } from 'react';
import { getBridge, errorMessage } from '../../../bridge';
import { toast } from '../../state/toasts';
import { Modal } from '../dialogs/Modal';
import { plural } from '../../lib/format';
import { FilePicker } from '../FilePicker';

export async function exportCsv(): Promise<void> {
  try {
    const { csv, count } = await getBridge().command('exportContactsCsv', {});
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `parley-contacts-${new Date().toISOString().slice(0, 10)}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    toast('success', `Exported ${plural(count, 'contact')}`);
  } catch (e) {
    toast('error', `Export failed: ${errorMessage(e)}`);
  }
}

export function ImportDialog({ onClose }: { onClose: () => void }) {
  const [csv, setCsv] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ imported: number; errors: { line: number; message: string }[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await getBridge().command('importContactsCsv', { csv }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
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
          <button type="button" className="btn primary" disabled={!csv.trim() || busy || result !== null} onClick={() => void run()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </>
      }
    >
      <p className="small muted">
        A CSV file with a header row: <code>name,phone,email,tags,notes</code> (tags separated by <code>;</code>). Phone numbers in any common format.
      </p>
      <div className="field">
        <label htmlFor="csv-file">CSV file</label>
        <FilePicker
          id="csv-file"
          accept=".csv,text/csv"
          label="Choose a CSV file"
          onFile={(f) =>
            void f.text().then((t) => {
              setCsv(t);
              setResult(null);
            })
          }
        />
      </div>
      <div className="field">
        <label htmlFor="csv-text">Or paste CSV</label>
        <textarea id="csv-text" className="textarea mono" rows={6} value={csv} onChange={(e) => {
            setCsv(e.target.value);
            setResult(null);
          }} />
      </div>
      {busy && <progress className="progress" aria-label="Importing contacts" />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div role="status" className="import-result">
          <p>
            <strong>Imported {plural(result.imported, 'contact')}.</strong> {result.errors.length > 0 && `${plural(result.errors.length, 'line')} skipped:`}
          </p>
          {result.errors.length > 0 && (
            <ul className="import-errors small">
              {result.errors.map((e) => (
                <li key={e.line}>
                  Line {e.line}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Modal>
  );
}
