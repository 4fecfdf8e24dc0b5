// Signed out → the sign-in screen; signed in → the three-pane app.
import { useEffect, useRef, useState } from 'react';
import { hostConnection } from '../bridge';
import { useBridgeQuery } from './lib/queries';
import { useUi } from './state/ui';
import { useThemeEffect } from './lib/theme';
import { SignIn } from './views/SignIn';
import { Shell } from './components/Shell';
import { Toasts } from './components/Toasts';
import { UpdateRequired } from './components/UpdateRequired';

/** 'closed' from the first failure until a connection opens again (no flicker while retrying). */
function useHost() {
  const [down, setDown] = useState(() => hostConnection().get() === 'closed');
  useEffect(() => hostConnection().on((c) => (c === 'open' ? setDown(false) : c === 'closed' ? setDown(true) : undefined)), []);
  return down ? 'closed' : 'open';
}

/** The page could not reach its local host (wrong or missing secret, host stopped). */
function HostDown() {
  return (
    <main className="signin">
      <div className="signin-card" role="alert">
        <h1>Can’t reach Parley</h1>
        <p className="muted">This window lost its connection to the Parley app running on this computer. It keeps retrying.</p>
        <p className="small muted">If you opened it yourself, use the full address printed by Parley when it started (it ends with a #secret=… part).</p>
      </div>
    </main>
  );
}

export function App() {
  const host = useHost();
  useThemeEffect();
  const session = useBridgeQuery('session', {});
  const signedIn = !!session.data;
  const wasSignedIn = useRef(false);
  useEffect(() => {
    // the replica is deleted at sign-out; drafts of that user go with it
    if (wasSignedIn.current && !signedIn) useUi.getState().reset();
    wasSignedIn.current = signedIn;
  }, [signedIn]);
  let body;
  if (!session.data && host === 'closed') body = <HostDown />;
  else if (session.isPending) body = <div className="boot" aria-busy="true" aria-label="Starting Parley" />;
  else if (session.isError && !session.data) body = <SignIn />;
  else if (!session.data) body = <SignIn />;
  else body = <Shell session={session.data} />;
  return (
    <>
      {session.data && <UpdateRequired />}
      {body}
      {!session.data && <Toasts />}
    </>
  );
}
