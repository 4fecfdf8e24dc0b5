// A team chat's title, the same in the list, the chat pane and notifications. A chat the viewer
// is not in (an admin sees its metadata only) says whose it is: "Notes of Alice", "Private chat
// between Alice and Bob".

const and = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`);

export function chatTitleOf(chat: { kind: string; title: string | null; members: readonly string[] }, viewerId: string | undefined, name: (id: string) => string): string {
  const member = viewerId !== undefined && chat.members.includes(viewerId);
  if (!member) {
    if (chat.kind === 'self') return `Notes of ${name(chat.members[0] ?? '')}`;
    return chat.title ? `${chat.title} (private)` : `Private chat between ${and(chat.members.map(name))}`;
  }
  if (chat.title) return chat.title;
  if (chat.kind === 'self') return 'Notes to self';
  return chat.members.filter((m) => m !== viewerId).map(name).join(', ') || 'Chat';
}
