// The notifications subgraph as the bench runs it: subgraphs/notifications/src/index.ts with the
// inbox's durable consumer named by the bench (BENCH_INBOX_CONSUMER), from the bench's start, so
// that on a broker others share it neither takes their events nor replays them.
import { runSubgraph } from '@pgamr/kit';
import { notificationsSubgraphWith } from '../../../subgraphs/notifications/src/server';

const inboxConsumer = process.env.BENCH_INBOX_CONSUMER;
runSubgraph(notificationsSubgraphWith(inboxConsumer ? { inboxConsumer, inboxStartsAt: 'new' } : {}), 4005);
