// Invoice composer: line items, currency, due date; Save draft or Send.
import { useState } from 'react';
import { issueSentence } from '../../../../shared/refusals';
import { Plus, Trash2 } from 'lucide-react';
import { addDays, format } from 'date-fns';
import { args } from '../../../../shared/mutators/args';
import { mutate, newId } from '../../lib/mutate';
import { money } from '../../lib/format';
import { useUi } from '../../state/ui';
import { Modal } from './Modal';

interface Line {
  key: number;
  description: string;
  quantity: string;
  unit: string;
}
export const currencies = ['GBP', 'EUR', 'USD', 'CAD', 'AUD'];
let k = 1;
const blank = (): Line => ({ key: k++, description: '', quantity: '1', unit: '' });
/** "12.50" → 1250 minor units; NaN when not a number */
export const toMinor = (s: string) => Math.round(Number(s.replace(',', '.')) * 100);

export function InvoiceDialog({ conversationId }: { conversationId: string }) {
  const close = useUi((s) => s.closeDialog);
  const [lines, setLines] = useState<Line[]>([blank()]);
  const [currency, setCurrency] = useState('GBP');
  const [due, setDue] = useState(format(addDays(new Date(), 14), 'yyyy-MM-dd'));
  const [error, setError] = useState<string | null>(null);
  const items = lines.map((l) => ({ description: l.description.trim(), quantity: Number(l.quantity), unitAmount: toMinor(l.unit) }));
  const total = items.reduce((s, i) => s + (Number.isFinite(i.unitAmount * i.quantity) ? i.unitAmount * i.quantity : 0), 0);
  const update = (key: number, p: Partial<Line>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...p } : l)));

  const submit = async (send: boolean) => {
    const a = { id: newId(), conversationId, currency, lineItems: items, dueDate: due, send, messageId: send ? newId() : undefined };
    const parsed = args.createInvoice.safeParse(a);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path[0] === 'lineItems' ? `Line ${Number(issue.path[1] ?? 0) + 1}: ` : '';
      setError(`${where}${issue?.path.at(-1) === 'unitAmount' ? 'enter a price' : issue?.path.at(-1) === 'description' ? 'describe the item' : (issue ? issueSentence(issue) : 'check the form')}`);
      return;
    }
    const r = await mutate('createInvoice', a);
    if (r.ok) close();
  };

  return (
    <Modal
      title="New invoice"
      onClose={close}
      wide
      footer={
        <>
          <span className="grow strong">Total {money(total, currency)}</span>
          <button type="button" className="btn" onClick={() => void submit(false)}>
            Save draft
          </button>
          <button type="button" className="btn primary" onClick={() => void submit(true)}>
            Send invoice
          </button>
        </>
      }
    >
      <div className="inv-lines">
        <div className="inv-line inv-head xs muted" aria-hidden="true">
          <span>Description</span>
          <span>Qty</span>
          <span>Unit price</span>
          <span />
        </div>
        {lines.map((l, i) => (
          <div key={l.key} className="inv-line">
            <input className="input" aria-label={`Line ${i + 1} description`} value={l.description} onChange={(e) => update(l.key, { description: e.target.value })} placeholder="What is it for?" />
            <input className="input" aria-label={`Line ${i + 1} quantity`} inputMode="numeric" value={l.quantity} onChange={(e) => update(l.key, { quantity: e.target.value })} />
            <input className="input" aria-label={`Line ${i + 1} unit price`} inputMode="decimal" value={l.unit} onChange={(e) => update(l.key, { unit: e.target.value })} placeholder="0.00" />
            <button type="button" className="icon-btn" aria-label={`Remove line ${i + 1}`} disabled={lines.length === 1} onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
              <Trash2 size={14} />
            </button>
          </div>
        ))}
        <button type="button" className="btn ghost sm add-line" onClick={() => setLines((ls) => [...ls, blank()])}>
          <Plus size={14} aria-hidden="true" /> Add line
        </button>
      </div>
      <div className="row form-row">
        <div className="field">
          <label htmlFor="inv-cur">Currency</label>
          <select id="inv-cur" className="select" value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {currencies.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="inv-due">Due date</label>
          <input id="inv-due" className="input" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
        </div>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </Modal>
  );
}
