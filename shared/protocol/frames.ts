// Every frame up and every frame down, as one discriminated union each.
import { z } from 'zod';
import { helloFrame } from './hello';
import { pushFrame } from './push';
import { pingFrame, pongFrame } from './ping';
import { welcomeFrame } from './welcome';
import { pushResultFrame } from './pushResult';
import { pokeFrame } from './poke';
import { resetFrame } from './reset';
import { errorFrame } from './error';
import { presenceDownFrame, presenceUpFrame } from './presence';

export const upFrame = z.discriminatedUnion('type', [helloFrame, pushFrame, pingFrame, presenceUpFrame]);
export type UpFrame = z.infer<typeof upFrame>;
export const downFrame = z.discriminatedUnion('type', [welcomeFrame, pushResultFrame, pokeFrame, resetFrame, errorFrame, pongFrame, presenceDownFrame]);
export type DownFrame = z.infer<typeof downFrame>;
