import { stackTotal, type DelaySummary, type LiveMeasurement, type LiveSummary } from './live';
import { spread, type Spread } from './stats';

const fixed = (value: number | undefined, digits: number) => (value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));

/** `median (min–max)` over the runs, the range only with more than one run. */
function show(values: ReadonlyArray<number | undefined>, digits: number): string {
  const figures: Spread | undefined = spread(values);
  if (!figures) return 'n/a';
  return figures.n > 1 ? `${figures.median.toFixed(digits)} (${figures.min.toFixed(digits)}–${figures.max.toFixed(digits)})` : figures.median.toFixed(digits);
}

const delays = (pick: (m: LiveMeasurement) => DelaySummary | undefined, m: LiveMeasurement) => {
  const d = pick(m);
  return d ? `${fixed(d.p50, 1)} | ${fixed(d.p95, 1)} | ${fixed(d.p99, 1)} | ${fixed(d.max, 1)}` : 'n/a | n/a | n/a | n/a';
};

/** The « Live notifications » section of the Markdown report. */
export function liveMarkdown(live: LiveSummary): string[] {
  const lines: string[] = [];
  const push = (...text: string[]) => lines.push(...text);
  const runs = live.measurements;
  const stackOf = (m: LiveMeasurement) => stackTotal(m.cpuMs);
  const subgraphNames = [...new Set(runs.flatMap((m) => Object.keys(m.cpuMs.subgraphs)))];
  const withNats = runs.some((m) => m.cpuMs.nats !== undefined);

  push('## Live notifications (issue 19)', '');
  push(
    `- **Streams:** ${live.streams} subscriptions over graphql-sse (distinct connections mode, \`POST /graphql/stream\`) on loopback, held by ` +
      `${live.users} distinct users (at most ${live.streamsPerUser} each), from a client process of their own (graphql-sse's client), opened in ${(live.openMs / 1000).toFixed(1)} s` +
      `${live.refused > 0 ? `; **${live.refused} refused**: ${live.refusedSamples.join('; ')}` : ''}.`,
  );
  push(
    '- **Events:** a colleague asks for access to a service of their organization (`requestAccess`, through the gateway, open loop at ' +
      `${live.eventsPerSecondTarget} per second): services raises \`ACCESS_REQUEST_FILED\` for the local manager and the deputies in their period (R8, R10); ` +
      'each stream is held by a local manager of the services asked for. The notifications subgraph writes it to the inbox and tells the gateways; the gateway ' +
      'runs the subscription’s selection for each stream whose user is in the audiences, with that user’s token (subject resolved by services and identity).',
  );
  push(`- **Bus:** ${live.bus}.`);
  push(
    '- **Commit time:** the `created_at` of the event’s row in services’ `event_outbox`, written in the mutation’s transaction just before it commits ' +
      '(PostgreSQL’s `track_commit_timestamp` is off, and the relay’s update of the row replaces its `xmin`): the delay from it therefore includes the end of the transaction, an upper bound by ' +
      'a few milliseconds. The delay from the mutation’s answer at the client (after the commit) is the lower bound. **Delivery:** when the subscriber’s client has parsed the `next` message; ' +
      'both clocks are the same machine’s.',
  );
  push(
    '- **Counted:** every (event, stream) pair whose stream’s user is in the event’s audiences (as services wrote them in the outbox; the local manager the bench filed it for must be among ' +
      'them) must arrive once. A missing one whose stream received instead an event without a notification (`SERVICE_UNAVAILABLE`: the gateway could not judge it, and tells the client to read its inbox again) ' +
      'is « answered unavailable »; any other is lost. Lost, duplicate and unexpected deliveries fail the bench. After each window the bench waits for every expected delivery to be accounted for (60 s at most), then 1 s for duplicates.',
  );
  push(
    `- **CPU:** user + system time from /proc over the window and its tail, of the gateway, every subgraph (notifications included), PostgreSQL’s processes for the bench’s databases` +
      `${withNats ? ' and nats-server (which serves other work on this machine too: an upper bound)' : ''}; divided by deliveries, and by committed events (the mutation included).`,
  );
  push(
    `- **Gateway memory:** ${fixed(live.memory.before.rssMiB, 1)} MiB resident, ${fixed(live.memory.before.heapUsedMiB, 1)} MiB of V8 heap used before the streams; ` +
      `${fixed(live.memory.open.rssMiB, 1)} MiB and ${fixed(live.memory.open.heapUsedMiB, 1)} MiB with the ${live.streams} streams open and idle: ` +
      `**${fixed(live.memory.rssKiBPerStream, 1)} KiB resident and ${fixed(live.memory.heapKiBPerStream, 1)} KiB of heap per stream** ` +
      `(resident: the process tree’s VmRSS, median of 10 readings over 2 s; heap: \`nodejs_heap_size_used_bytes\` of its metrics, lowest of the same readings, the closest to what a collection leaves)` +
      `${live.memory.after ? `; after the windows: ${fixed(live.memory.after.rssMiB, 1)} MiB, ${fixed(live.memory.after.heapUsedMiB, 1)} MiB` : ''}.`,
  );
  push(
    `- **Idle:** with the ${live.streams} streams open and no event, over ${live.idle.seconds} s, the stack spends ${fixed(live.idle.stackCpuMsPerSecond, 1)} ms of CPU per second ` +
      `(the gateway ${fixed(live.idle.gatewayCpuMsPerSecond, 1)}: heartbeats every 15 s; the relays’ and the bus’s polls). « Net »: a window’s CPU less that rate over the window’s time.`,
  );
  for (const note of live.notes) push(`- ${note}`);
  push('');
  push('| run | s | events committed | events/s | deliveries expected | delivered | deliveries/s | missing | of which answered unavailable | lost | duplicates | unexpected | mutations failed | stack CPU ms/delivery | net ms/delivery | stack CPU ms/event |');
  push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of runs) {
    push(
      `| ${m.run} | ${fixed(m.seconds, 0)} | ${m.eventsCommitted} | ${fixed(m.eventsPerSecond, 1)} | ${m.expectedDeliveries} | ${m.delivered} | ${fixed(m.deliveriesPerSecond, 1)} | ` +
        `${m.missing} | ${m.answeredUnavailable} | ${m.lost} | ${m.duplicates} | ${m.unexpected} | ${m.mutationErrors} | ${fixed(m.stackCpuMsPerDelivery, 2)} | ${fixed(m.netStackCpuMsPerDelivery, 2)} | ${fixed(m.stackCpuMsPerEvent, 2)} |`,
    );
  }
  push('');
  push('Delay from commit to delivery (ms), and from the mutation’s answer to delivery (its lower bound):', '');
  push('| run | commit → p50 | p95 | p99 | max | answer → p50 | p95 | p99 | max | tail waited s |');
  push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const m of runs) push(`| ${m.run} | ${delays((x) => x.delayMs, m)} | ${delays((x) => x.delayFromAnswerMs, m)} | ${fixed(m.tailMs / 1000, 1)} |`);
  push('');
  push('CPU ms per delivery, process by process:', '');
  push(`| run | gateway | ${subgraphNames.join(' | ')} | PostgreSQL |${withNats ? ' nats-server |' : ''} stack |`);
  push(`| ---: | ---: | ${subgraphNames.map(() => '---:').join(' | ')} | ---: |${withNats ? ' ---: |' : ''} ---: |`);
  for (const m of runs) {
    const per = (value: number | undefined) => (m.delivered > 0 && value !== undefined ? fixed(value / m.delivered, 3) : 'n/a');
    push(
      `| ${m.run} | ${per(m.cpuMs.gateway)} | ${subgraphNames.map((name) => per(m.cpuMs.subgraphs[name])).join(' | ')} | ${per(m.cpuMs.postgres)} |` +
        `${withNats ? ` ${per(m.cpuMs.nats)} |` : ''} ${per(stackOf(m))} |`,
    );
  }
  push('');
  if (runs.length > 1) {
    push(
      `Over the ${runs.length} runs (median, min–max): ${show(runs.map((m) => m.eventsPerSecond), 1)} events/s, ${show(runs.map((m) => m.deliveriesPerSecond), 1)} deliveries/s, ` +
        `p99 ${show(runs.map((m) => m.delayMs?.p99), 1)} ms, stack ${show(runs.map((m) => m.stackCpuMsPerDelivery), 2)} ms CPU per delivery.`,
      '',
    );
  }
  push('<details><summary>Subscription and mutation</summary>', '', '```graphql', live.subscription, '', live.mutation, '```', '', '</details>', '');
  return lines;
}
