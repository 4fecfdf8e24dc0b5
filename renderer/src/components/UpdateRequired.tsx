// The relay no longer serves this version of Parley (protocol client_too_old): say so plainly,
// with what happens next. Unsent changes stay in the outbox and go once the app is updated.
import { ArrowUpCircle } from 'lucide-react';
import { useBridgeQuery } from '../lib/queries';
import { plural } from '../lib/format';

export function UpdateRequired() {
  const status = useBridgeQuery('syncStatus', {}).data;
  if (status?.state !== 'outdated') return null;
  return (
    <div className="update-required" role="alert">
      <ArrowUpCircle size={18} aria-hidden="true" />
      <div className="grow">
        <strong>Parley needs an update</strong>
        <div className="small">
          Your organisation’s relay no longer accepts this version. Parley downloads the update in the background and asks you to restart;
          if it does not, ask your IT team for the latest version.
          {status.pending > 0 ? ` Your ${plural(status.pending, 'unsent change')} stay on this computer and are sent after the update.` : ''}
        </div>
      </div>
    </div>
  );
}
