// The organisation's audit log (relay-only, append-only; server/audit/): read by admins through
// these routes, never synced. Filters: who, what, when; paginated newest first by a keyset cursor.
import { z } from 'zod';
import { auditActions } from '../tx';

const id = z.string().min(1).max(128);
const time = z.number().int().nonnegative();

export const auditActionSchema = z.enum(auditActions);

/** Who, what, when: every filter optional, combined with AND; `to` is exclusive. */
export const auditFilters = z.object({
  actorId: id.optional(),
  action: auditActionSchema.optional(),
  from: time.optional(),
  to: time.optional(),
});
export type AuditFilters = z.infer<typeof auditFilters>;

/** The entry after which the next page starts (the last one of the previous page). */
export const auditCursor = z.object({ at: time, id });
export type AuditCursor = z.infer<typeof auditCursor>;

/** POST /admin/audit-log/search */
export const auditSearchRequest = auditFilters.extend({
  before: auditCursor.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditSearchRequest = z.input<typeof auditSearchRequest>;

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const auditEntryView = z.object({
  id: z.string(),
  at: z.number(),
  action: auditActionSchema,
  /** '' for a failed sign-in with an unknown email */
  actorId: z.string(),
  /** the actor's name now (or the email tried, for a failed sign-in) */
  actorName: z.string(),
  target: z.string(),
  targetName: z.string().nullable(),
  details: z.record(z.string(), detailValue),
  ip: z.string().nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntryView>;

export const auditPage = z.object({ entries: z.array(auditEntryView), next: auditCursor.nullable() });
export type AuditPage = z.infer<typeof auditPage>;

/** POST /admin/audit-log/export: the filtered log as CSV (the export is itself audited). */
export const auditExport = z.object({ csv: z.string(), count: z.number().int() });
export type AuditExport = z.infer<typeof auditExport>;

export const MIN_AUDIT_RETENTION_DAYS = 30;
export const MAX_AUDIT_RETENTION_DAYS = 3650;
export const DEFAULT_AUDIT_RETENTION_DAYS = 365;
export const auditRetention = z.object({
  days: z
    .number({ error: 'Give the number of days to keep the audit log.' })
    .int('Give a whole number of days.')
    .min(MIN_AUDIT_RETENTION_DAYS, `Keep the audit log for at least ${MIN_AUDIT_RETENTION_DAYS} days.`)
    .max(MAX_AUDIT_RETENTION_DAYS, `Keep the audit log for at most ${MAX_AUDIT_RETENTION_DAYS} days (10 years).`),
});
export type AuditRetention = z.infer<typeof auditRetention>;
export const auditRetentionSet = auditRetention.extend({ pruned: z.number().int() });

/** POST /audit/exports: the app tells the relay a person exported data from their replica (contacts CSV). */
export const exportRecord = z.object({ what: z.enum(['contacts']), count: z.number().int().nonnegative() });
