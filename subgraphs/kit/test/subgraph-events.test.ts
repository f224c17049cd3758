import { randomUUID } from 'node:crypto';
import type { BusMessage, DomainEvent, EventBus } from '../src/events/contract';
import { EventType } from '../src/events/contract';
import { recordEvent } from '../src/events/outbox';
import type { SubgraphDefinition } from '../src/subgraph';
import { createTestEventBus, pendingSchemaChanges, startTestSubgraph, uniqueToken, waitFor, type TestEventBus, type TestSubgraph } from '../src/testing';
import { fixtureSubgraph } from './fixture-subgraph';

// The kit's runtime for a subgraph that raises events and consumes them (issue 19): the outbox
// table comes with `events: true`, the relay starts once the server listens, the subgraph's
// consumers start on the process's bus, and all of it stops before the database closes.
describe("the kit's runtime of events", () => {
  let testBus: TestEventBus;
  let subgraph: TestSubgraph;
  let busInSetup: EventBus | undefined;
  const source = uniqueToken();
  const consumed: BusMessage[] = [];

  beforeAll(async () => {
    testBus = await createTestEventBus('subgraph-events');
    const definition: SubgraphDefinition<unknown> = {
      ...fixtureSubgraph,
      name: 'events-fixture',
      events: true,
      consumesEvents: true,
      async setup(_database, kit) {
        busInSetup = kit.bus;
        return {
          services: undefined,
          startConsumers: async (bus) => [await bus.consume(uniqueToken('fixture'), `pgamr.events.${source}.>`, async (message) => void consumed.push(message))],
        };
      },
    };
    subgraph = await startTestSubgraph(definition, { eventBus: testBus.bus });
  });

  afterAll(async () => {
    await subgraph?.close();
    await testBus?.close();
  });

  it('gives the subgraph the outbox table, the bus in its setup, and publishes what it records to its own consumers', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
    expect(busInSetup).toBe(testBus.bus);
    const event: DomainEvent = {
      id: randomUUID(),
      type: EventType.AccessRightGranted,
      source,
      occurredAt: new Date().toISOString(),
      organizationId: randomUUID(),
      serviceId: null,
      subject: { typename: 'AccessRight', id: randomUUID() },
      audiences: [{ kind: 'USERS', userIds: [randomUUID()] }],
      data: { role: 'USER' },
    };
    await subgraph.database.orm.em.fork().transactional(async (em) => recordEvent(em, event));
    await waitFor(() => consumed.length > 0, { timeoutMs: 30_000, description: 'the event consumed' });
    expect(consumed).toEqual([{ subject: `pgamr.events.${source}.ACCESS_RIGHT_GRANTED`, id: event.id, payload: event }]);
  });
});
