// Share a location on WhatsApp (SMS carries no locations).
import { useState } from 'react';
import { locationSchema } from '../../../../shared/mutators/args';
import { Modal } from '../dialogs/Modal';

export function LocationDialog({ onSend, onClose }: { onSend: (loc: { lat: number; lng: number; label?: string }) => void; onClose: () => void }) {
  const [label, setLabel] = useState('');
  const [lat, setLat] = useState('');
  const [lng, setLng] = useState('');
  const [error, setError] = useState<string | null>(null);
  const send = () => {
    const p = locationSchema.safeParse({ lat: Number(lat), lng: Number(lng), label: label.trim() || undefined });
    if (!p.success || !lat.trim() || !lng.trim()) return setError('Enter a latitude between -90 and 90 and a longitude between -180 and 180.');
    onSend(p.data);
  };
  return (
    <Modal
      title="Share a location"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn primary" onClick={send}>
            Share location
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor="loc-label">Place name (optional)</label>
        <input id="loc-label" className="input" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Our shop, 12 High Street" autoFocus data-autofocus />
      </div>
      <div className="row form-row">
        <div className="field grow">
          <label htmlFor="loc-lat">Latitude</label>
          <input id="loc-lat" className="input" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} placeholder="51.5072" />
        </div>
        <div className="field grow">
          <label htmlFor="loc-lng">Longitude</label>
          <input id="loc-lng" className="input" inputMode="decimal" value={lng} onChange={(e) => setLng(e.target.value)} placeholder="-0.1276" />
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
