import { z } from 'zod';

/**
 * The change log no longer reaches the client's cookie, the user's groups or role changed
 * since it, or the cookie is from another database: drop every synced row (keep the
 * outbox). The relay follows at once with a complete poke (baseCookie null); a client may
 * instead reconnect with cookie null.
 */
export const resetFrame = z.object({ type: z.literal('reset'), reason: z.string() });
export type ResetFrame = z.infer<typeof resetFrame>;
