import { z } from 'zod';

export const pingFrame = z.object({ type: z.literal('ping'), t: z.number().optional() });
export type PingFrame = z.infer<typeof pingFrame>;
export const pongFrame = z.object({ type: z.literal('pong'), t: z.number().optional() });
export type PongFrame = z.infer<typeof pongFrame>;
