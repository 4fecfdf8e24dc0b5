// A file input that looks like the rest of the app: a button and the chosen file's name. The
// native input stays in the page (visually hidden, keyboard-reachable through its label) so
// it keeps its accessible name and works with drag-and-drop and automation.
import { useState } from 'react';
import { FileUp } from 'lucide-react';

export function FilePicker({ id, accept, onFile, label = 'Choose a file' }: { id: string; accept?: string; onFile: (file: File) => void; label?: string }) {
  const [name, setName] = useState<string | null>(null);
  return (
    <span className="file-picker">
      <input
        id={id}
        type="file"
        className="file-picker-input"
        accept={accept}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (!f) return;
          setName(f.name);
          onFile(f);
        }}
      />
      <label htmlFor={id} className="btn sm file-picker-btn" aria-hidden="true">
        <FileUp size={14} aria-hidden="true" /> {label}
      </label>
      <span className={name ? 'small ellipsis' : 'small faint'}>{name ?? 'No file chosen'}</span>
    </span>
  );
}
