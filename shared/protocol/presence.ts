// Presence (issue 13): who is online, away or offline, and who is viewing or replying in a
// conversation. Ephemeral: never stored in a replica or the relay database, gone when a socket
// closes. Additive in protocol 2 (a new frame type both ways, see version.ts): a relay that
// serves it says so in welcome.presence, and a client sends `presence` only to such a relay.
import { z } from 'zod';
import { idSchema } from './common';

/** a client idle this long says it is away (the renderer's idle timer) */
export const IDLE_AWAY_MS = 5 * 60_000;
/** someone else's reply this recent: a reply on top of it asks first */
export const JUST_REPLIED_MS = 30_000;

export const presenceStatuses = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof presenceStatuses)[number];

/** Up: this socket's own presence. Each field is optional: only what changed is sent. */
export const presenceUpFrame = z.object({
  type: z.literal('presence'),
  /** away: idle for a while or set by hand */
  status: z.enum(['online', 'away']).optional(),
  /** the conversation open on this socket (null: none) */
  viewing: idSchema.nullable().optional(),
  /** typing in, or holding a draft for, the conversation it views */
  typing: z.boolean().optional(),
});
export type PresenceUpFrame = z.infer<typeof presenceUpFrame>;

export const presenceViewing = z.object({ conversationId: idSchema, typing: z.boolean() });
export type PresenceViewing = z.infer<typeof presenceViewing>;

export const presenceUser = z.object({
  userId: idSchema,
  status: z.enum(presenceStatuses),
  /** only the conversations the recipient may read (never a restricted one it may not) */
  viewing: z.array(presenceViewing).max(100),
});
export type PresenceUser = z.infer<typeof presenceUser>;

/** Down: the presence of some users (full: of every user; anyone missing is offline). */
export const presenceDownFrame = z.object({
  type: z.literal('presence'),
  full: z.boolean().optional(),
  users: z.array(presenceUser).max(100_000),
});
export type PresenceDownFrame = z.infer<typeof presenceDownFrame>;

/** At most one presence update per user per this many ms, on both ends. */
export const PRESENCE_THROTTLE_MS = 1000;
