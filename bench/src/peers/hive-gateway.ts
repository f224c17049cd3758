// Hive Gateway (The Guild) as a library, served by node:http, over the same supergraph and
// subgraphs as ours. Settings beyond the defaults: the caller's token goes to every subgraph,
// and nothing shares one answer between requests, so each request costs what it would alone.
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import type { HTTPTransportOptions } from '@graphql-mesh/transport-http';

async function main(): Promise<void> {
  const supergraphPath = process.env.BENCH_SUPERGRAPH_PATH;
  const port = Number(process.env.PORT);
  if (!supergraphPath || !Number.isInteger(port)) throw new Error('BENCH_SUPERGRAPH_PATH and PORT are required');

  const gateway = createGatewayRuntime({
    // A path: the runtime reads the file once (no polling unless pollingInterval is set).
    supergraph: supergraphPath,
    logging: 'warn',
    // https://the-guild.dev/graphql/hive/docs/gateway/other-features/header-propagation
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') ?? undefined }),
    },
    // Outbound: on by default in @graphql-tools/executor-http (`deduplicateInflightRequests`,
    // "@default true"): identical concurrent subgraph queries would be sent once. Off, per
    // https://the-guild.dev/graphql/hive/docs/gateway/other-features/performance/deduplicate-request
    transportEntries: {
      '*.http': { options: { deduplicateInflightRequests: false } as HTTPTransportOptions },
    },
    // Inbound (whole client requests): off by default ("@default false"); stated so it stays off.
    inboundInflightRequestDeduplication: false,
  });
  // The runtime is a request listener returning a promise; node:http ignores what it returns.
  const server = createServer((request, response) => void gateway(request, response));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.warn(`Hive Gateway listening at http://127.0.0.1:${port}/graphql`);

  const stop = () => {
    server.close();
    void Promise.resolve(gateway.dispose()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
