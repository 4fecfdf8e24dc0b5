// Admins: teams (names, numbers, members) and people (role, active).
import type { Session } from '../../../shared/bridge';
import { canAdminister, sessionViewer } from '../../../shared/permissions';
import { GroupsSettings } from '../components/settings/GroupsSettings';
import { SlaSettings } from '../components/settings/SlaSettings';
import { PeopleSettings } from '../components/settings/PeopleSettings';
import { LabelsSettings } from '../components/settings/LabelsSettings';
import { AutoAssignSettings } from '../components/settings/AutoAssignSettings';
import { AuditLogSettings } from '../components/settings/AuditLogSettings';

export function SettingsView({ session }: { session: Session }) {
  if (!canAdminister(sessionViewer(session))) {
    return (
      <section className="conv-pane">
        <div className="empty">
          <h2>Only admins manage teams and people</h2>
        </div>
      </section>
    );
  }
  return (
    <section className="conv-pane contact-pane" aria-label="Settings">
      <div className="contact-detail settings">
        <h1>Teams and people</h1>
        <p className="small muted">Add people with Add person and decide what they can do; provider accounts are under Channels and payments.</p>
        <GroupsSettings />
        <SlaSettings />
        <AutoAssignSettings />
        <PeopleSettings session={session} />
        <LabelsSettings />
        <AuditLogSettings />
      </div>
    </section>
  );
}
