// What the relay's parts share: built once by startRelay, handed to HTTP routes and the CLI.
import type { User, Group } from '../shared/schema';
import type { AuthService } from './auth/authService';
import type { TokenService } from './auth/tokens';
import type { RelayStore } from './store/types';
import type { EffectRunner } from './effects/runner';
import type { SimulatorChannel } from './providers/simulator';
import type { PaymentSink, ProviderRegistry, ProviderSink } from './providers/types';
import type { Engine } from './sync/engine';
import type { SyncHub } from './sync/hub';
import type { TimerScheduler } from './timers/scheduler';
import type { AutoAssigner } from './assign/autoAssign';

export interface AdminApi {
  createUser(u: { email: string; name: string; role: 'admin' | 'agent'; password: string; groupIds?: string[] }): Promise<User>;
  /** simulated: both channels go through the simulator (demos, tests); otherwise none until a provider account is added */
  createGroup(g: { name: string; smsNumber?: string; whatsappNumber?: string; simulated?: boolean }): Promise<Group>;
  addMember(groupId: string, userId: string): Promise<void>;
  deactivateUser(userId: string): Promise<void>;
}

export interface Services {
  store: RelayStore;
  dataDir: string;
  engine: Engine;
  auth: AuthService;
  tokens: TokenService;
  hub: SyncHub;
  effects: EffectRunner;
  timers: TimerScheduler;
  /** automatic assignment of waiting inbound conversations (server/assign/autoAssign.ts) */
  autoAssign: AutoAssigner;
  simulator: SimulatorChannel;
  providers(): ProviderRegistry;
  sink: ProviderSink & PaymentSink;
  admin: AdminApi;
  httpUrl(): string;
  startedAt: number;
  log(msg: string, err?: unknown): void;
}
