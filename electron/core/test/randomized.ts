// The randomized multi-client scenario: several cores of different roles and groups
// against one real relay, random operations, offline periods, dropped connections and
// relay restarts; at quiescence every replica must equal its user's visible set.
import { startTestRelay, type TestOrg } from '../../../server/testing';
import { newCore, waitFor, type TestCore } from './harness';
import { tempDir } from './helpers';
import { checkCreated, randomStep, seeded, stepTable, type StepWorld } from './randomSteps';
import { allRows, checkLocalIndexes, diffReplica, relaySource } from './visibleSet';

interface Actor {
  name: string;
  userId: string;
  core: TestCore;
  offline: boolean;
}

export interface ScenarioOptions {
  ops?: number;
  users?: string[];
  log?: (s: string) => void;
}

export async function runScenario(seed: number, o: ScenarioOptions = {}): Promise<void> {
  const relayDir = tempDir('parley-relay-');
  let org: TestOrg = await startTestRelay({ dataDir: relayDir });
  const port = org.relay.port;
  const names = o.users ?? ['admin', 'alice', 'bob', 'carol'];
  const actors: Actor[] = [];
  const log = o.log ?? (() => undefined);
  try {
    for (const n of names) {
      const core = newCore();
      await core.command('signIn', { relayUrl: org.relay.httpUrl, email: `${n}@test.parley`, password: org.password });
      actors.push({ name: n, userId: (await core.query('session', {}))!.userId, core, offline: false });
    }
    const world: StepWorld<Actor> = {
      ...seeded(seed),
      actors,
      groupIds: () => [org.groups.sales.id, org.groups.support.id],
      members: (gid) => allRows(relaySource(org.relay.services.store), 'memberships').filter((m) => m.groupId === gid && relaySource(org.relay.services.store).store.get('users', m.userId)?.active).map((m) => m.userId),
      inbound: async (groupId, from, body) => void (await org.relay.simulator.inbound({ groupId, from, body })),
      label: (a) => a.name,
      log,
      created: [],
      unarchived: new Set(),
    };
    const steps = stepTable<Actor>(
      { inbound: 16, sendMessage: 14, addNote: 10, manageConversation: 12, archive: 8, deleteConversation: 3, createInvoice: 6, payOrVoidInvoice: 5, markRead: 3, updateContact: 3, toggleOffline: 8, dropConnection: 7 },
      [{
        name: 'relayRestart', weight: 2, needsConversation: false,
        run: async ({ step }) => {
          log(`${step} relay restart`);
          await org.relay.close();
          org = await startTestRelay({ dataDir: relayDir, port });
        },
      }],
    );
    for (let step = 0; step < (o.ops ?? 60); step++) await randomStep(world, steps, step);

    // quiescence: everyone online, outboxes empty, replicas equal to the visible sets
    for (const a of actors) if (a.offline) a.core.impl.current!.sync.start();
    const relaySrc = () => (relaySource(org.relay.services.store));
    let diffs: string[] = [];
    await waitFor(async () => {
      for (const a of actors) {
        const s = await a.core.query('syncStatus', {});
        if (s.state !== 'online' || s.pending > 0) return false;
      }
      diffs = actors.flatMap((a) =>
        [...diffReplica(relaySrc(), a.core.impl.current!.replica, a.userId), ...checkLocalIndexes(a.core.impl.current!.replica.db)].map((d) => `${a.name}: ${d}`),
      );
      return diffs.length === 0;
    }, 'quiescence', 60_000).catch((e: Error) => {
      throw new Error(`seed ${seed}: ${e.message}\n${diffs.join('\n')}`);
    });

    // invariants on the relay
    const rel = relaySrc();
    // acknowledged = applied exactly once (ids are keys) unless refused or its conversation was deleted
    for (const a of actors) {
      const meta = a.core.impl.current!.replica.meta()!;
      const acked = (await org.relay.services.engine.client(meta.clientId))?.lastMutationId ?? 0;
      if (acked !== meta.nextMutationId - 1) throw new Error(`seed ${seed}: ${a.name} relay acknowledged ${acked} of ${meta.nextMutationId - 1}`);
    }
    await checkCreated(seed, rel, world);
  } finally {
    for (const a of actors) await a.core.close();
    await org.relay.close();
  }
}
