import { X } from 'lucide-react';
import clsx from 'clsx';
import { useToasts } from '../state/toasts';

export function Toasts() {
  const { toasts, dismiss } = useToasts();
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={clsx('toast', t.tone)} role={t.tone === 'error' ? 'alert' : undefined}>
          <span className="grow">{t.text}</span>
          <button type="button" className="icon-btn" aria-label="Dismiss message" onClick={() => dismiss(t.id)}>
            <X size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
