// Which bridge queries a `changed` event touches (kept free of React for tests).
import type { QueryName } from '../../../shared/bridge';
import type { TableName } from '../../../shared/schema';

const convTables: TableName[] = ['conversations', 'messages', 'notes', 'invoices', 'checkouts', 'contacts', 'readStates'];

/** Which tables each query reads. Queries not listed (session, syncStatus) follow their own events. */
export const queryTables: Partial<Record<QueryName, readonly TableName[]>> = {
  directory: ['users', 'groups', 'memberships'],
  counts: ['conversations', 'messages', 'readStates', 'chats', 'chatMessages', 'memberships', 'notes'],
  inbox: [...convTables, 'chats', 'chatMessages', 'memberships', 'users'],
  conversation: [...convTables, 'groups', 'users', 'memberships'],
  contacts: ['contacts'],
  contact: ['contacts', 'conversations', 'messages', 'readStates'],
  tags: ['contacts'],
  chat: ['chats', 'chatMessages', 'users'],
  search: ['contacts', 'messages', 'notes', 'conversations'],
  failures: [],
  broadcasts: ['broadcasts', 'broadcastRecipients'],
  broadcast: ['broadcasts', 'broadcastRecipients', 'contacts'],
};

/** True when a `changed` event may affect the query `[name, args]`. */
export function affects(name: QueryName, change: { tables: readonly string[] }): boolean {
  if (change.tables.length === 0) return true; // "everything may have changed"
  const deps = queryTables[name];
  if (!deps) return false;
  // failures (relay refusals) can arrive with any mutated table
  if (name === 'failures') return true;
  return change.tables.some((t) => deps.includes(t as TableName));
}

