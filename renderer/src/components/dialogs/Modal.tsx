// Accessible modal: a native <dialog> opened modally (focus trap, Esc, inert page).
// showModal() moves focus to the dialog's first focusable element (the Close button in the
// header), and React's autoFocus data-autofocus ran before the dialog was shown: so focus goes, once shown,
// to the control marked data-autofocus, else the first field of the body.
import { useEffect, useId, useRef, type ReactNode } from 'react';
import clsx from 'clsx';
import { X } from 'lucide-react';

function initialFocus(d: HTMLDialogElement): HTMLElement | null {
  return d.querySelector<HTMLElement>('[data-autofocus]') ?? d.querySelector<HTMLElement>('.modal-body :is(input:not([type=hidden]), textarea, select):not(:disabled)');
}

export function Modal({ title, onClose, children, footer, wide, className }: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; wide?: boolean; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      initialFocus(d)?.focus();
    }
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={clsx('modal', wide && 'wide', className)}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="modal-inner">
        <header className="modal-head">
          <h2 id={titleId} className="grow">
            {title}
          </h2>
          <button type="button" className="icon-btn" onClick={onClose} aria-label="Close">
            <X size={16} />
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-foot">{footer}</footer>}
      </div>
    </dialog>
  );
}
