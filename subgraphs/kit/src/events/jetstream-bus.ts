import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiError,
  StorageType,
  type ConsumerMessages,
  type JetStreamManager,
  type JsMsg,
  type StreamConfig,
} from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { Streams, type BusMessage, type EventBus, type Subscription } from './contract';
import { filterCovered } from './subject-filter';
import { openSubscriptions } from './subscriptions';

const NANOS_PER_MS = 1_000_000;
const DAY_MS = 86_400_000;
/** A relay that crashed between publishing and marking its row publishes again within this window: the stream keeps one. */
const DUPLICATE_WINDOW_MS = 10 * 60_000;
/** How long a durable waits before it is handed again a message whose handler threw. */
const REDELIVERY_DELAY_MS = 1000;
/** A handler may take this long before JetStream hands its message to another consumer. */
const ACK_WAIT_MS = 30_000;
const PUBLISH_TIMEOUT_MS = 5000;

const nanos = (ms: number) => ms * NANOS_PER_MS;

/** The broker's name of one of Streams' streams in `namespace`. */
export const streamIn = (namespace: string | undefined, name: string): string => (namespace ? `${name}_${namespace.toUpperCase().replace(/-/g, '_')}` : name);

/**
 * Where a namespace puts the contract's subjects and streams on the broker: subjects under
 * `<namespace>.`, streams suffixed `_<NAMESPACE>`. Callers keep the contract's names; the bus
 * translates both ways. Without a namespace, the contract's names as they are.
 */
function brokerNames(namespace: string | undefined) {
  const prefix = namespace ? `${namespace}.` : '';
  const stream = (name: string) => streamIn(namespace, name);
  return {
    subject: (subject: string) => `${prefix}${subject}`,
    contractSubject: (subject: string) => (subject.startsWith(prefix) ? subject.slice(prefix.length) : subject),
    stream,
    /** The stream that holds the subjects of the contract's `filter`; an unknown filter is a programming error. */
    streamOf(filter: string): string {
      const held = Object.values(Streams).find((candidate) => candidate.subjects.some((subject) => filterCovered(subject, filter)));
      if (!held) throw new Error(`no stream holds the subjects ${filter}`);
      return stream(held.name);
    },
  };
}
type BrokerNames = ReturnType<typeof brokerNames>;

async function ensureStreams(manager: JetStreamManager, names: BrokerNames): Promise<void> {
  for (const stream of Object.values(Streams)) {
    const name = names.stream(stream.name);
    const config: Partial<StreamConfig> = {
      subjects: stream.subjects.map(names.subject),
      storage: StorageType.File,
      max_age: nanos(stream.maxAgeDays * DAY_MS),
      duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    };
    try {
      await manager.streams.info(name);
      await manager.streams.update(name, config);
    } catch (error) {
      if (!(error instanceof JetStreamApiError) || !isNotFound(error)) throw error;
      await manager.streams.add({ name, ...config });
    }
  }
}

/** JetStream's « stream not found » (10059) and « consumer not found » (10014). */
const isNotFound = (error: JetStreamApiError) => [10059, 10014].includes(error.code);

const decode = (message: JsMsg, names: BrokerNames): BusMessage => ({
  subject: names.contractSubject(message.subject),
  id: message.headers?.get('Nats-Msg-Id') ?? String(message.seq),
  payload: message.json(),
});

/**
 * The event bus on NATS JetStream (issue 19): file storage, so a restarted broker keeps its
 * messages; de-duplication by Nats-Msg-Id; durable pull consumers with explicit ack; ordered
 * consumers for the fan-out. The connection reconnects for ever: while the broker is away,
 * `publish` rejects at once (the relay keeps the row and retries) and consumers resume when it is back.
 */
export async function createJetStreamBus(natsUrl: string, logger: Logger, namespace?: string): Promise<EventBus> {
  const names = brokerNames(namespace);
  const connection: NatsConnection = await connect({
    servers: natsUrl,
    name: 'pgamr',
    maxReconnectAttempts: -1,
    reconnectTimeWait: 1000,
    // Publications made while disconnected would wait in the client's buffer: rejected instead, the relay retries.
    reconnect: true,
  });
  let connected = true;
  let closing = false;
  void (async () => {
    for await (const status of connection.status()) {
      if (status.type === 'disconnect') {
        connected = false;
        logger.warn('event bus: NATS disconnected; reconnecting');
      } else if (status.type === 'reconnect') {
        connected = true;
        logger.info('event bus: NATS reconnected');
      }
    }
  })();
  try {
    const manager = await jetstreamManager(connection);
    await ensureStreams(manager, names);
  } catch (error) {
    await connection.close();
    throw error;
  }
  const js = jetstream(connection, { timeout: PUBLISH_TIMEOUT_MS });
  const subscriptions = openSubscriptions();

  /** Hands each message of `messages` to `onMessage` until stopped. */
  function run(messages: ConsumerMessages, onMessage: (message: JsMsg) => Promise<void>, label: string): Subscription {
    const done = (async () => {
      try {
        for await (const message of messages) await onMessage(message);
      } catch (error) {
        if (!closing) logger.error({ err: error, consumer: label }, 'event bus: consumer stopped');
      }
    })();
    return subscriptions.add(async () => {
      // Stops pulling; the message in hand finishes (and is acked) first.
      messages.stop();
      await done;
    });
  }

  return {
    async publish(message) {
      if (!connected) throw new Error('NATS is disconnected');
      await js.publish(names.subject(message.subject), JSON.stringify(message.payload), { msgID: message.id, timeout: PUBLISH_TIMEOUT_MS });
    },

    async consume(durable, filter, handle, options = {}) {
      const stream = names.streamOf(filter);
      const manager = await jetstreamManager(connection);
      await manager.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: options.startAt === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
        filter_subject: names.subject(filter),
        ack_wait: nanos(ACK_WAIT_MS),
      });
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: 100 });
      return run(
        messages,
        async (message) => {
          try {
            await handle(decode(message, names));
            message.ack();
          } catch (error) {
            logger.warn({ err: error, durable, subject: message.subject }, 'event bus: handler failed; the message will be delivered again');
            message.nak(REDELIVERY_DELAY_MS);
          }
        },
        durable,
      );
    },

    async follow(filter, handle) {
      // An ordered consumer: ephemeral, in order, recreated by the client after a broker restart.
      // It starts after the stream's last message as it is now, so that « from now on » means from
      // this call's return, not from whenever the client creates the consumer.
      const stream = names.streamOf(filter);
      const manager = await jetstreamManager(connection);
      const { state } = await manager.streams.info(stream);
      const consumer = await js.consumers.get(stream, {
        // One subject as a string: servers before 2.10 (CI's 2.9) know no list of filters.
        filter_subjects: names.subject(filter),
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: state.last_seq + 1,
      });
      const messages = await consumer.consume();
      return run(
        messages,
        async (message) => {
          try {
            handle(decode(message, names));
          } catch (error) {
            logger.error({ err: error, subject: message.subject }, 'event bus: a follower failed on a message');
          }
        },
        `follow ${filter}`,
      );
    },

    async close() {
      closing = true;
      await subscriptions.stopAll();
      await connection.drain().catch(() => connection.close());
    },
  };
}
