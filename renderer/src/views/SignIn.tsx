// Sign in to a relay. The relay URL and email are remembered on this machine.
import { useState, type FormEvent } from 'react';
import { MessagesSquare } from 'lucide-react';
import { getBridge, errorMessage } from '../../bridge';
import { queryClient, useBridgeQuery } from '../lib/queries';

const RELAY_KEY = 'parley.relayUrl';
const EMAIL_KEY = 'parley.email';

/** The launcher's relay (URL fragment `relay=`, set by IT config or `npm start`), else the last one used. */
function defaultRelay(): string {
  const fromLauncher = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('relay');
  return fromLauncher ?? localStorage.getItem(RELAY_KEY) ?? '';
}

export function SignIn() {
  const [relayUrl, setRelayUrl] = useState(defaultRelay);
  const [email, setEmail] = useState(() => localStorage.getItem(EMAIL_KEY) ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // why the app is signed out, when it was not the user's choice (damaged file, expired session…)
  const status = useBridgeQuery('syncStatus', {});
  const reason = status.data?.state === 'signedOut' ? status.data.error : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let url: URL;
    try {
      url = new URL(relayUrl.trim());
    } catch {
      setError('Enter the relay address, for example https://parley.example.com');
      return;
    }
    if (!email.includes('@')) return setError('Enter your email address.');
    if (!password) return setError('Enter your password.');
    setBusy(true);
    try {
      const session = await getBridge().command('signIn', { relayUrl: url.toString().replace(/\/$/, ''), email: email.trim(), password });
      localStorage.setItem(RELAY_KEY, relayUrl.trim());
      localStorage.setItem(EMAIL_KEY, email.trim());
      queryClient.setQueryData(['session', {}], session);
      void queryClient.invalidateQueries();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="signin">
      <form className="signin-card" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title" noValidate>
        <div className="signin-logo" aria-hidden="true">
          <MessagesSquare size={22} />
        </div>
        <h1 id="signin-title">Sign in to Parley</h1>
        <p className="muted">Your team's SMS and WhatsApp inbox.</p>
        {reason && !error && (
          <p className="form-notice" role="status">
            {reason}
          </p>
        )}
        <div className="field">
          <label htmlFor="relay">Relay address</label>
          <input id="relay" className="input" value={relayUrl} onChange={(e) => setRelayUrl(e.target.value)} autoComplete="url" spellCheck={false} placeholder="https://parley.example.com" />
        </div>
        <div className="field">
          <label htmlFor="email">Email</label>
          <input id="email" className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" autoFocus={!email} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" className="input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" autoFocus={!!email} />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn primary signin-submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
