// Left navigation: inboxes with unread counts, other views, connection state.
import { Fragment, type ReactNode } from 'react';
import clsx from 'clsx';
import { ChartColumn, Settings, RadioTower, Contact, Megaphone, MessageCircle, AtSign, MessageSquareText, Moon, Search, Sun, Monitor, LogOut, Keyboard, Rows3, Rows2 } from 'lucide-react';
import type { Session } from '../../../shared/bridge';
import { canAdminister, canSeeGroup, sessionViewer } from '../../../shared/permissions';
import type { Role } from '../../../shared/schema';
import { handleBridgeEvent, useBridgeQuery } from '../lib/queries';
import { useDirectory } from '../lib/directory';
import { conversationViewNames, conversationViews } from '../lib/views';
import { useShallow } from 'zustand/react/shallow';
import { useUi, type View } from '../state/ui';
import { ConnectionStatus } from './ConnectionStatus';
import { Toasts } from './Toasts';
import { FailuresButton } from './FailuresButton';
import { Avatar } from './Avatar';
import { getBridge, errorMessage } from '../../bridge';
import { toast } from '../state/toasts';
import { SavedViewsNav } from './SavedViewsNav';
import { AcceptingToggle } from './AcceptingToggle';
import { useFilters } from '../state/filters';

function sameView(a: View, b: View): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'inbox' && b.kind === 'inbox') return a.inbox === b.inbox && a.groupId === b.groupId;
  return true;
}

function NavItem({ view, icon, label, count, indent }: { view: View; icon?: ReactNode; label: string; count?: number; indent?: boolean }) {
  const current = useUi((s) => s.view);
  const setView = useUi((s) => s.setView);
  const fromSaved = useFilters((s) => s.savedViewId !== null);
  const active = sameView(current, view) && !fromSaved;
  return (
    <button
      type="button"
      className={clsx('nav-item', active && 'active', indent && 'indent')}
      aria-current={active ? 'page' : undefined}
      onClick={() => setView(view)}
    >
      {icon ?? <span className="nav-bullet" aria-hidden="true" />}
      <span className="grow ellipsis">{label}</span>
      {count ? (
        <span className="nav-count">
          {count}
          <span className="sr-only"> unread</span>
        </span>
      ) : null}
    </button>
  );
}

const roleLabel = { admin: 'Admin', agent: 'Agent' } as const satisfies Record<Role, string>;
const themeCycle = { system: 'light', light: 'dark', dark: 'system' } as const;

/** Compact (two tight lines, ≥ 16 rows on a 1440×900 window) or comfortable list rows. */
function DensityButton() {
  const density = useUi((s) => s.density);
  const setDensity = useUi((s) => s.setDensity);
  const next = density === 'compact' ? 'comfortable' : 'compact';
  return (
    <button type="button" className="icon-btn" onClick={() => setDensity(next)} aria-label={`List rows: ${density}. Switch to ${next}`} title={`List rows: ${density} (switch to ${next})`}>
      {density === 'compact' ? <Rows3 size={16} /> : <Rows2 size={16} />}
    </button>
  );
}

export function Sidebar({ session }: { session: Session }) {
  const counts = useBridgeQuery('counts', {}).data;
  const dir = useDirectory();
  const { theme, setTheme, openDialog } = useUi(useShallow((s) => ({ theme: s.theme, setTheme: s.setTheme, openDialog: s.openDialog })));
  const me = sessionViewer(session, dir.memberships);
  const myGroups = dir.groups.filter((g) => canSeeGroup(me, g.id));
  const ThemeIcon = theme === 'dark' ? Moon : theme === 'light' ? Sun : Monitor;

  const signOut = async () => {
    try {
      await getBridge().command('signOut', {});
      useUi.getState().reset();
      handleBridgeEvent({ type: 'session', session: null });
    } catch (e) {
      toast('error', errorMessage(e));
    }
  };

  return (
    <nav className="sidebar" aria-label="Main">
      {session.orgName && (
        <div className="sidebar-org ellipsis" title={session.orgName}>
          {session.orgName}
        </div>
      )}
      <div className="sidebar-head">
        <Avatar id={session.userId} name={session.name} size="lg" />
        <div className="grow">
          <div className="ellipsis strong">{session.name}</div>
          <div className="ellipsis xs faint">{roleLabel[session.role]} · {session.email}</div>
        </div>
      </div>
      <AcceptingToggle session={session} />
      <button type="button" className="search-trigger" onClick={() => openDialog({ kind: 'palette' })}>
        <Search size={14} aria-hidden="true" />
        <span className="grow">Search</span>
        <kbd aria-hidden="true">Ctrl K</kbd>
      </button>
      <div className="nav scroll">
        {conversationViewNames.map((inbox) => {
          const v = conversationViews[inbox];
          return (
            <Fragment key={inbox}>
              <NavItem view={{ kind: 'inbox', inbox, groupId: null }} icon={<v.icon size={16} />} label={v.label} count={counts && v.count?.(counts)} />
              {v.perGroup &&
                myGroups.map((g) => <NavItem key={g.id} indent view={{ kind: 'inbox', inbox, groupId: g.id }} label={g.name} count={counts?.team[g.id]} />)}
            </Fragment>
          );
        })}
        <NavItem view={{ kind: 'mentions' }} icon={<AtSign size={16} />} label="Mentions" count={counts?.mentions} />
        <SavedViewsNav />
        <div className="nav-sep" />
        <NavItem view={{ kind: 'chats' }} icon={<MessageCircle size={16} />} label="Team chat" count={counts?.chats} />
        <NavItem view={{ kind: 'contacts' }} icon={<Contact size={16} />} label="Contacts" />
        <NavItem view={{ kind: 'broadcast' }} icon={<Megaphone size={16} />} label="Broadcast" />
        <NavItem view={{ kind: 'canned' }} icon={<MessageSquareText size={16} />} label="Canned responses" />
        <NavItem view={{ kind: 'reports' }} icon={<ChartColumn size={16} />} label="Reports" />
        {canAdminister(me) && (
          <>
            <NavItem view={{ kind: 'settings' }} icon={<Settings size={16} />} label="Teams and people" />
            <NavItem view={{ kind: 'channels' }} icon={<RadioTower size={16} />} label="Channels and payments" />
          </>
        )}
      </div>
      <Toasts placement="sidebar" />
      <div className="sidebar-foot">
        <FailuresButton />
        <ConnectionStatus />
        <div className="row">
          <button type="button" className="icon-btn" onClick={() => setTheme(themeCycle[theme])} aria-label={`Theme: ${theme}. Switch theme`} title={`Theme: ${theme}`}>
            <ThemeIcon size={16} />
          </button>
          <button type="button" className="icon-btn" onClick={() => openDialog({ kind: 'shortcuts' })} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">
            <Keyboard size={16} />
          </button>
          <DensityButton />
          <span className="grow" />
          <button type="button" className="icon-btn" onClick={() => void signOut()} aria-label="Sign out" title="Sign out">
            <LogOut size={16} />
          </button>
        </div>
      </div>
    </nav>
  );
}
