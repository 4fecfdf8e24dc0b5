// Attachments load through the bridge (the core fetches them from the relay with the
// user's token); images show inline, other files as a chip that downloads.
import { useEffect, useState } from 'react';
import { Paperclip } from 'lucide-react';
import type { AttachmentRef } from '../../../shared/schema';
import { getBridge, errorMessage } from '../../bridge';
import { toast } from '../state/toasts';

const cache = new Map<string, Promise<string>>();

function blobUrl(ref: AttachmentRef): Promise<string> {
  let p = cache.get(ref.id);
  if (!p) {
    p = getBridge()
      .command('attachmentData', { id: ref.id })
      .then(({ mime, dataBase64 }) => {
        const bytes = Uint8Array.from(atob(dataBase64), (c) => c.charCodeAt(0));
        return URL.createObjectURL(new Blob([bytes], { type: mime }));
      });
    p.catch(() => cache.delete(ref.id));
    cache.set(ref.id, p);
  }
  return p;
}

const kb = (n: number) => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function ImageAttachment({ r }: { r: AttachmentRef }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    blobUrl(r).then((u) => live && setUrl(u), () => undefined);
    return () => {
      live = false;
    };
  }, [r]);
  return url ? <img className="att-img" src={url} alt={r.name} /> : <div className="att-img placeholder" aria-label={`Loading ${r.name}`} />;
}

async function download(r: AttachmentRef) {
  try {
    const url = await blobUrl(r);
    const a = document.createElement('a');
    a.href = url;
    a.download = r.name;
    a.click();
  } catch (e) {
    toast('error', `Could not open ${r.name}: ${errorMessage(e)}`);
  }
}

export function Attachments({ refs }: { refs: AttachmentRef[] }) {
  if (refs.length === 0) return null;
  return (
    <div className="atts">
      {refs.map((r) =>
        r.mime.startsWith('image/') ? (
          <ImageAttachment key={r.id} r={r} />
        ) : (
          <button key={r.id} type="button" className="att-chip" onClick={() => void download(r)} aria-label={`Download ${r.name}`}>
            <Paperclip size={13} aria-hidden="true" />
            <span className="ellipsis">{r.name}</span>
            <span className="faint xs">{kb(r.size)}</span>
          </button>
        ),
      )}
    </div>
  );
}

export function readFileBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(typeof fr.result === 'string' ? fr.result.replace(/^data:[^,]*,/, '') : '');
    fr.onerror = () => reject(fr.error ?? new Error('Could not read the file'));
    fr.readAsDataURL(file);
  });
}
