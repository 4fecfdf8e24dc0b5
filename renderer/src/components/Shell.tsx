// The signed-in app: sidebar, the current view, dialogs, keyboard shortcuts.
import { usePresenceIdle } from './Presence';
import type { Session } from '../../../shared/bridge';
import { useUi } from '../state/ui';
import { useShortcuts } from '../lib/keyboard';
import { useAppEffects } from '../lib/appEffects';
import { Sidebar } from './Sidebar';
import { InboxView } from '../views/InboxView';
import { ChatsView } from '../views/ChatsView';
import { ContactsView } from '../views/ContactsView';
import { BroadcastView } from '../views/BroadcastView';
import { SettingsView } from '../views/SettingsView';
import { ChannelsView } from '../views/ChannelsView';
import { MentionsView } from '../views/MentionsView';
import { CannedView } from '../views/CannedView';
import { ReportsView } from '../views/ReportsView';
import { Dialogs } from './dialogs/Dialogs';
import { ErrorBoundary } from './ErrorBoundary';

export function Shell({ session }: { session: Session }) {
  usePresenceIdle();
  const view = useUi((s) => s.view);
  useShortcuts();
  useAppEffects();
  return (
    <div className="app">
      <Sidebar session={session} />
      <main className="main" id="main">
        <ErrorBoundary resetKey={JSON.stringify(view)}>
          {view.kind === 'inbox' && <InboxView key={`${view.inbox}:${view.groupId ?? ''}`} inbox={view.inbox} groupId={view.groupId} />}
          {view.kind === 'chats' && <ChatsView />}
          {view.kind === 'mentions' && <MentionsView />}
          {view.kind === 'canned' && <CannedView session={session} />}
          {view.kind === 'contacts' && <ContactsView session={session} />}
          {view.kind === 'broadcast' && <BroadcastView />}
          {view.kind === 'settings' && <SettingsView session={session} />}
          {view.kind === 'channels' && <ChannelsView session={session} />}
          {view.kind === 'reports' && <ReportsView session={session} />}
        </ErrorBoundary>
      </main>
      <Dialogs />
    </div>
  );
}
