// POST /auth/login, /auth/refresh, /auth/logout.
import { z } from 'zod';

export const roleSchema = z.enum(['admin', 'agent']);

export const loginRequest = z.object({ email: z.string().min(1).max(254), password: z.string().min(1).max(1024) });
export type LoginRequest = z.infer<typeof loginRequest>;

/** Body of /auth/refresh and /auth/logout. */
export const refreshRequest = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof refreshRequest>;

/** The answer to login and refresh: tokens, the user, and the organisation's name (additive). */
export const authSessionResponse = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** the relay sends ms since epoch; clients also accept seconds or an ISO date */
  accessExpiresAt: z.union([z.number(), z.string()]),
  user: z.object({ id: z.string(), name: z.string(), email: z.string(), role: roleSchema }),
  orgName: z.string().max(200).optional(),
});
export type AuthSessionResponse = z.infer<typeof authSessionResponse>;
