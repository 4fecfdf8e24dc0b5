// Run-time schemas of what every bridge query returns (shared/bridgeSchemas.ts), keyed by the
// contract's query names and typed by `QueryResults`, so a query without a schema, or a schema
// that disagrees with the contract, does not compile. Tests parse every query result with these
// (electron/core/test/harness.ts `newCore`); the product does not pay for it.
import { z } from 'zod';
import type { QueryName, QueryResults } from './bridge';
import * as S from './bridgeSchemas';
import { presenceUser } from './protocol/presence';

export const queryResultSchemas: { [K in QueryName]: z.ZodType<QueryResults[K]> } = {
  session: S.session.nullable(),
  syncStatus: S.syncStatus,
  directory: S.directory,
  counts: S.counts,
  inbox: S.page(S.inboxItem),
  labels: z.array(S.rowSchema('labels')),
  savedViews: z.array(S.savedViewItem),
  conversation: S.conversationDetail.nullable(),
  contacts: S.page(S.rowSchema('contacts')),
  contact: S.contactWithConversations.nullable(),
  tags: z.array(z.string()),
  chat: S.chatDetail.nullable(),
  chatWith: z.string().nullable(),
  search: z.array(S.searchHit),
  failures: z.array(S.failure),
  broadcasts: z.array(S.rowSchema('broadcasts')),
  broadcast: S.broadcastWithRecipients.nullable(),
  presence: z.array(presenceUser),
  cannedResponses: z.array(S.rowSchema('cannedResponses')),
  mentions: S.page(S.mentionItem).extend({ unread: z.number().int().nonnegative() }),
  reportVolume: S.reportVolume,
  reportTimes: S.reportTimes,
  reportChannels: S.reportChannels,
  reportHours: S.reportHours,
  reportSla: S.reportSla,
  reportBacklog: S.reportBacklog,
};

/** Parses a query's result with its schema; throws a readable error naming the query and the path. */
export function checkQueryResult<K extends QueryName>(name: K, result: unknown): QueryResults[K] {
  const r = queryResultSchemas[name].safeParse(result);
  if (!r.success) throw new Error(`query ${name} returned a result outside the contract:\n${z.prettifyError(r.error)}`);
  return r.data;
}
