import { randomUUID } from 'node:crypto';
import type { BusMessage, EventBus, Subscription } from '../src/events/contract';
import { createJetStreamBus } from '../src/events/jetstream-bus';
import { createLogger } from '../src/logger';
import { createTestEventBus, uniqueToken, waitFor, type TestEventBus } from '../src/testing';

// Both buses keep the same contract (issue 19): the PostgreSQL bus always, JetStream when CI's
// broker is there (TEST_NATS_URL). Every subject carries this run's token, every durable its own
// name: the shared broker's streams hold other files' and other runs' messages too.
const kinds = (['postgresql', 'jetstream'] as const).filter((kind) => kind === 'postgresql' || process.env.TEST_NATS_URL);

describe.each(kinds)('the %s event bus', (kind) => {
  let testBus: TestEventBus;
  let bus: EventBus;
  const subscriptions: Subscription[] = [];
  const run = uniqueToken();
  const subject = (type: string) => `pgamr.events.${run}.${type}`;
  const message = (type: string, payload: unknown = { type }): BusMessage => ({ subject: subject(type), id: randomUUID(), payload });

  beforeAll(async () => {
    testBus = await createTestEventBus('event-bus', kind);
    bus = testBus.bus;
  });

  afterEach(async () => {
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
  });

  afterAll(async () => {
    await testBus.close();
  });

  /** Collects what a durable is handed, handling each with `handle` first (which may throw). */
  async function consumeInto(durable: string, filter: string, handle: (message: BusMessage) => void = () => undefined): Promise<BusMessage[]> {
    const seen: BusMessage[] = [];
    subscriptions.push(
      await bus.consume(durable, filter, async (received) => {
        handle(received);
        seen.push(received);
      }),
    );
    return seen;
  }

  it('keeps one message when the same id is published twice (de-duplication)', async () => {
    const twice = message('TWICE');
    await bus.publish(twice);
    await bus.publish(twice);
    const last = message('LAST');
    await bus.publish(last);
    const seen = await consumeInto(uniqueToken('dedup'), `pgamr.events.${run}.>`);
    // Delivered in order: once the last is there, a second copy of the first would be too.
    await waitFor(() => seen.some((received) => received.id === last.id), { description: 'the last message consumed' });
    expect(seen.filter((received) => received.id === twice.id)).toHaveLength(1);
    expect(seen.find((received) => received.id === twice.id)).toEqual(twice);
  });

  it('delivers again a message whose handler threw (durable, at least once)', async () => {
    const durable = uniqueToken('retry');
    const filter = `pgamr.events.${run}.RETRY`;
    const failing = message('RETRY');
    let attempts = 0;
    const seen = await consumeInto(durable, filter, (received) => {
      if (received.id === failing.id && ++attempts === 1) throw new Error('handler failed once');
    });
    await bus.publish(failing);
    await waitFor(() => seen.length === 1, { timeoutMs: 30_000, description: 'the message handled after its redelivery' });
    expect(attempts).toBe(2);
    expect(seen[0]?.id).toBe(failing.id);
  });

  it('hands each message to one of two consumers of the same durable, and resumes where the durable stopped', async () => {
    const durable = uniqueToken('split');
    const filter = `pgamr.events.${run}.SPLIT`;
    const first = await consumeInto(durable, filter);
    const second = await consumeInto(durable, filter);
    const published = Array.from({ length: 20 }, () => message('SPLIT'));
    for (const each of published) await bus.publish(each);
    await waitFor(() => first.length + second.length >= published.length, { timeoutMs: 30_000, description: 'every message consumed' });
    const handled = [...first, ...second].map((received) => received.id).sort();
    expect(handled).toEqual(published.map((each) => each.id).sort());

    // Stopped, then published to, then started again: the durable has kept its place.
    await Promise.all(subscriptions.splice(0).map((subscription) => subscription.stop()));
    const later = message('SPLIT');
    await bus.publish(later);
    const resumed = await consumeInto(durable, filter);
    await waitFor(() => resumed.length >= 1, { timeoutMs: 30_000, description: 'the later message consumed' });
    expect(resumed.map((received) => received.id)).toEqual([later.id]);
  });

  it('fans every new message out to each follower, in order, from the moment it follows', async () => {
    const before = { subject: `pgamr.notifications.${run}.BEFORE`, id: randomUUID(), payload: {} };
    await bus.publish(before);
    const followers: BusMessage[][] = [[], []];
    for (const into of followers) subscriptions.push(await bus.follow(`pgamr.notifications.${run}.>`, (received) => void into.push(received)));
    const published = Array.from({ length: 5 }, (_, index) => ({ subject: `pgamr.notifications.${run}.N${index}`, id: randomUUID(), payload: { index } }));
    for (const each of published) await bus.publish(each);
    for (const into of followers) {
      await waitFor(() => into.length >= published.length, { timeoutMs: 30_000, description: 'every message followed' });
      expect(into.map((received) => received.id)).toEqual(published.map((each) => each.id));
    }
  });

  it('honours NATS wildcards: `*` one token, `>` the rest', async () => {
    const single = await consumeInto(uniqueToken('star'), `pgamr.events.${run}.*.FILED`);
    const rest = await consumeInto(uniqueToken('rest'), `pgamr.events.${run}.services.>`);
    const filed = { subject: `pgamr.events.${run}.services.FILED`, id: randomUUID(), payload: {} };
    const decided = { subject: `pgamr.events.${run}.services.DECIDED`, id: randomUUID(), payload: {} };
    const deep = { subject: `pgamr.events.${run}.services.x.FILED`, id: randomUUID(), payload: {} };
    for (const each of [filed, decided, deep]) await bus.publish(each);
    await waitFor(() => rest.length >= 3, { timeoutMs: 30_000, description: 'the `>` consumer' });
    await waitFor(() => single.length >= 1, { timeoutMs: 30_000, description: 'the `*` consumer' });
    expect(rest.map((received) => received.id)).toEqual([filed.id, decided.id, deep.id]);
    expect(single.map((received) => received.id)).toEqual([filed.id]);
  });
});

(process.env.TEST_NATS_URL ? describe : describe.skip)('JetStream namespaces: deployments sharing one broker', () => {
  it("a bus sees its own namespace's messages under the contract's subjects, never another namespace's", async () => {
    const [first, second] = [await createTestEventBus('ns-one', 'jetstream'), await createTestEventBus('ns-two', 'jetstream')];
    const twin = await createJetStreamBus(process.env.TEST_NATS_URL!, createLogger('twin', 'silent'), first.config.namespace);
    try {
      const seenByFirst: BusMessage[] = [];
      const seenBySecond: BusMessage[] = [];
      const subscriptions = [
        await first.bus.consume(uniqueToken('ns'), 'pgamr.events.>', async (received) => void seenByFirst.push(received)),
        await second.bus.consume(uniqueToken('ns'), 'pgamr.events.>', async (received) => void seenBySecond.push(received)),
      ];
      const mine = { subject: 'pgamr.events.services.ACCESS_REQUEST_FILED', id: randomUUID(), payload: { n: 1 } };
      const theirs = { subject: 'pgamr.events.services.ACCESS_REQUEST_FILED', id: randomUUID(), payload: { n: 2 } };
      // Another process of the first deployment (same namespace) publishes; the second deployment too.
      await twin.publish(mine);
      await second.bus.publish(theirs);
      await waitFor(() => seenByFirst.length >= 1 && seenBySecond.length >= 1, { timeoutMs: 30_000, description: 'each namespace its message' });
      await Promise.all(subscriptions.map((subscription) => subscription.stop()));
      expect(seenByFirst).toEqual([mine]);
      expect(seenBySecond).toEqual([theirs]);
    } finally {
      await twin.close();
      await first.close();
      await second.close();
    }
  });
});
