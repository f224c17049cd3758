// Plain @apollo/gateway behind @apollo/server's standalone server, with default settings: the
// baseline our gateway's edge (auth, limits, rate limits, metrics, APQ, resilient fetcher) is
// measured against. The only addition is forwarding the caller's token, without which every
// subgraph would refuse the request.
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface PeerContext {
  authorization?: string;
}

class ForwardAuthorization extends RemoteGraphQLDataSource<PeerContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<PeerContext>): void {
    // Health checks run without a request context.
    const { authorization } = context as Partial<PeerContext>;
    if (authorization) request.http?.headers.set('authorization', authorization);
  }
}

async function main(): Promise<void> {
  const supergraphPath = process.env.BENCH_SUPERGRAPH_PATH;
  const port = Number(process.env.PORT);
  if (!supergraphPath || !Number.isInteger(port)) throw new Error('BENCH_SUPERGRAPH_PATH and PORT are required');

  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ url }) => new ForwardAuthorization({ url }),
  });
  const server = new ApolloServer<PeerContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  console.warn(`plain @apollo/gateway listening at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
