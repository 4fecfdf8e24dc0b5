// Checkout composer: a payment link for an amount with a description.
import { useState } from 'react';
import { issueSentence } from '../../../../shared/refusals';
import { args } from '../../../../shared/mutators/args';
import { mutate, newId } from '../../lib/mutate';
import { useUi } from '../../state/ui';
import { Modal } from './Modal';
import { currencies, toMinor } from './InvoiceDialog';

export function CheckoutDialog({ conversationId }: { conversationId: string }) {
  const close = useUi((s) => s.closeDialog);
  const [description, setDescription] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('GBP');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const a = { id: newId(), conversationId, description, amount: toMinor(amount), currency, messageId: newId() };
    const p = args.createCheckout.safeParse(a);
    if (!p.success) {
      const f = p.error.issues[0]?.path[0];
      setError(f === 'amount' ? 'Enter an amount greater than zero.' : f === 'description' ? 'Describe what the payment is for.' : (p.error.issues[0] ? issueSentence(p.error.issues[0]) : 'Check the form.'));
      return;
    }
    const r = await mutate('createCheckout', a);
    if (r.ok) close();
  };
  return (
    <Modal
      title="New checkout link"
      onClose={close}
      footer={
        <>
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={() => void submit()}>
            Send checkout link
          </button>
        </>
      }
    >
      <div className="col">
        <div className="field">
          <label htmlFor="co-desc">Description</label>
          <input id="co-desc" className="input" value={description} onChange={(e) => setDescription(e.target.value)} placeholder="Deposit for the spring booking" autoFocus data-autofocus />
        </div>
        <div className="row form-row">
          <div className="field grow">
            <label htmlFor="co-amt">Amount</label>
            <input id="co-amt" className="input" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="0.00" />
          </div>
          <div className="field">
            <label htmlFor="co-cur">Currency</label>
            <select id="co-cur" className="select" value={currency} onChange={(e) => setCurrency(e.target.value)}>
              {currencies.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </div>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
      </div>
    </Modal>
  );
}
