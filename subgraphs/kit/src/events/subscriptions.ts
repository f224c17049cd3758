import type { Subscription } from './contract';

/**
 * The subscriptions a bus has open, so that closing the bus stops each of them: a subscription
 * stopped on its own leaves the set, after `stop` (its message in hand finished) is done.
 */
export function openSubscriptions() {
  const open = new Set<Subscription>();
  return {
    add(stop: () => Promise<void>): Subscription {
      const subscription: Subscription = {
        async stop() {
          await stop();
          open.delete(subscription);
        },
      };
      open.add(subscription);
      return subscription;
    },
    async stopAll(): Promise<void> {
      await Promise.all([...open].map((subscription) => subscription.stop()));
    },
  };
}
