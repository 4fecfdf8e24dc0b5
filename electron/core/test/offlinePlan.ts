// The 200 mixed mutations of the offline journey, deterministic by index so a
// restarted process continues exactly where the killed one stopped.
import type { MutationArgs, MutationName } from '../../../shared/mutators/args';

export interface JourneyFixture {
  me: string;
  bob: string;
  groupId: string;
  /** conversations the journey writes to; [0] and [1] get replies, [2] is archived/unarchived */
  conversations: { id: string; contactId: string }[];
}

export const JOURNEY_SIZE = 200;

export type Step = { [N in MutationName]: { name: N; args: MutationArgs<N> } }[MutationName];

// The journey's conversations are created by inbound messages and only alice changes their
// visibility, so every Manage save names visibilityVersion 0: her own later changes are not stale.
export function journeyStep(f: JourneyFixture, i: number): Step {
  const [c0, c1, c2] = f.conversations as [JourneyFixture['conversations'][0], JourneyFixture['conversations'][0], JourneyFixture['conversations'][0]];
  const target = Math.floor(i / 6) % 2 === 0 ? c0 : c1;
  switch (i % 6) {
    case 0:
      return { name: 'sendMessage', args: { id: `j-msg-${i}`, conversationId: target.id, contactId: target.contactId, groupId: f.groupId, channel: 'sms', body: `reply ${i}` } };
    case 1:
      return { name: 'addNote', args: { id: `j-note-${i}`, conversationId: target.id, body: `note ${i}` } };
    case 2:
      return { name: 'updateContact', args: { id: target.contactId, notes: `edit ${i}` } };
    case 3:
      return { name: 'manageConversation', args: { conversationId: target.id, visibleTo: null, assignees: i % 4 === 1 ? [f.me] : [f.me, f.bob], baseVisibilityVersion: 0 } };
    case 4:
      return { name: 'manageConversation', args: { conversationId: c2.id, visibleTo: i % 12 === 10 ? [f.me, f.bob] : null, assignees: [f.me], baseVisibilityVersion: 0 } };
    default:
      return i % 12 === 5 ? { name: 'archiveConversation', args: { conversationId: c2.id } } : { name: 'unarchiveConversation', args: { conversationId: c2.id } };
  }
}
