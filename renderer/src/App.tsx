// Signed out → the sign-in screen; signed in → the three-pane app.
import { useEffect, useRef } from 'react';
import { useBridgeQuery } from './lib/queries';
import { useUi } from './state/ui';
import { useThemeEffect } from './lib/theme';
import { SignIn } from './views/SignIn';
import { Shell } from './components/Shell';
import { Toasts } from './components/Toasts';

export function App() {
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
  if (session.isPending) body = <div className="boot" aria-busy="true" aria-label="Starting Parley" />;
  else if (session.isError && !session.data) body = <SignIn />;
  else if (!session.data) body = <SignIn />;
  else body = <Shell session={session.data} />;
  return (
    <>
      {body}
      <Toasts />
    </>
  );
}
