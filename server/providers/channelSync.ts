// groups.channelProviders (synced: the app shows "Simulated", mutators refuse a channel with no
// provider) follows the relay's provider accounts. The relay reconciles at start, after an admin
// changes an account over HTTP, and at each send (the CLI may change accounts while it runs).
import type { Channel, ChannelProviderKind, Group } from '../../shared/schema';
import type { Engine } from '../sync/engine';
import { SYSTEM_ACTOR } from '../sync/engine';
import type { ProviderRegistry } from './types';

const CHANNELS: Channel[] = ['sms', 'whatsapp'];

/** What actually carries the channel: an account's kind, the simulator where an admin chose it, else nobody. */
export async function actualProvider(registry: ProviderRegistry, group: Group, channel: Channel): Promise<ChannelProviderKind | null> {
  const kind = (await registry.channelFor(group.id, channel)).kind;
  if (kind !== 'simulator') return kind;
  return group.channelProviders[channel] === 'simulator' ? 'simulator' : null;
}

export async function reconcileChannelProviders(engine: Engine, registry: ProviderRegistry, log: (msg: string, err?: unknown) => void): Promise<void> {
  for (const g of await engine.store.rows.find('groups', {})) {
    for (const channel of CHANNELS) {
      const provider = await actualProvider(registry, g, channel);
      if (provider === g.channelProviders[channel]) continue;
      try {
        await engine.runAs(SYSTEM_ACTOR, 'setChannelProvider', { groupId: g.id, channel, provider });
      } catch (e) {
        log(`relay: could not record the ${channel} provider of group ${g.name}`, e);
      }
    }
  }
}
