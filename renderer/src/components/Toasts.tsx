// Short messages (a refusal, "Copied", an import result). Signed in, they sit in the sidebar
// above its footer, where they hide nothing (never the composer or its Send button); on the
// sign-in screen, bottom left. Each can be dismissed; they also leave by themselves.
import { AlertCircle, CheckCircle2, Info, X } from 'lucide-react';
import clsx from 'clsx';
import { useToasts } from '../state/toasts';

const icons = { error: AlertCircle, success: CheckCircle2, info: Info } as const;

export function Toasts({ placement = 'floating' }: { placement?: 'sidebar' | 'floating' }) {
  const { toasts, dismiss } = useToasts();
  return (
    <div className={clsx('toasts', placement)} role="status" aria-live="polite">
      {toasts.map((t) => {
        const Icon = icons[t.tone];
        return (
          <div key={t.id} className={clsx('toast', t.tone)} role={t.tone === 'error' ? 'alert' : undefined}>
            <Icon size={15} className="toast-icon" aria-hidden="true" />
            <span className="grow toast-text">{t.text}</span>
            <button type="button" className="icon-btn toast-x" aria-label="Dismiss message" onClick={() => dismiss(t.id)}>
              <X size={13} />
            </button>
          </div>
        );
      })}
    </div>
  );
}
