// Copies a value (a webhook URL) to the clipboard and says so.
import { Copy } from 'lucide-react';
import { toast } from '../../state/toasts';

export function CopyButton({ value, label }: { value: string; label: string }) {
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      toast('success', `Copied ${label}`);
    } catch {
      toast('error', 'Could not copy: select the address and copy it by hand.');
    }
  };
  return (
    <button type="button" className="icon-btn" aria-label={`Copy ${label}`} title={`Copy ${label}`} onClick={() => void copy()}>
      <Copy size={14} />
    </button>
  );
}
