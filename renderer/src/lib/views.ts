// The inbox views as the UI presents them: label, icon, count, filters and what an empty list
// says. The names come from the contract (shared/bridge.ts `inboxViewSchema`); the sidebar,
// the list title, the list's empty state and the palette's "Go to …" entries all read this
// table, so a view added to the contract is one entry here (the Records make it required).
import { AlarmClock, Archive, Inbox, Users, type LucideIcon } from 'lucide-react';
import type { ConversationViewName, Counts, InboxViewName } from '../../../shared/bridge';

export interface ConversationViewInfo {
  /** sidebar label, list title (without a group) and palette "Go to …" */
  label: string;
  icon: LucideIcon;
  /** the unread count the sidebar shows */
  count?: (c: Counts) => number;
  /** the sidebar lists the user's groups under it, each a filtered list titled with the group's name */
  perGroup?: boolean;
  /** the list offers "Unread only" */
  unreadFilter: boolean;
}

/** In sidebar and palette order. */
export const conversationViews: Record<ConversationViewName, ConversationViewInfo> = {
  mine: { label: 'My inbox', icon: Inbox, count: (c) => c.mine, unreadFilter: true },
  team: { label: 'Team inbox', icon: Users, count: (c) => c.teamAll, perGroup: true, unreadFilter: true },
  snoozed: { label: 'Snoozed', icon: AlarmClock, perGroup: false, unreadFilter: true },
  archived: { label: 'Archived', icon: Archive, unreadFilter: false },
};
export const conversationViewNames = Object.keys(conversationViews) as ConversationViewName[];

/** What an empty list says (title, hint). */
export const emptyListText: Record<InboxViewName, readonly [string, string]> = {
  mine: ['Nothing assigned to you', 'Conversations assigned to you and your team chats show up here.'],
  team: ['The team inbox is clear', 'New messages from customers land here.'],
  snoozed: ['Nothing snoozed', 'Snooze a conversation with H: it comes back at the time you choose, or when the contact replies.'],
  archived: ['No archived conversations', 'Archive a conversation with E when it is done.'],
  chats: ['No team chats yet', 'Start one with New chat.'],
};
