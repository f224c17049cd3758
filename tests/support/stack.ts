import type { AddressInfo } from 'node:net';
import { buildGateway, type BuiltGateway } from '@pgamr/gateway';
import { readGatewayConfig } from '@pgamr/gateway/config';
import { identitySubgraph, JWKS_PATH, type IdentityLoaders, type IdentityServices } from '@pgamr/identity';
import { FIRM_USERS_PATH, RIGHTS_PATH, type SubgraphDefinition } from '@pgamr/kit';
import { createLogger } from '@pgamr/kit/logger';
import { startTestSubgraph, type TestSubgraph } from '@pgamr/kit/testing';
import { freePort } from './ports';
import { mandatesSubgraph } from '@pgamr/mandates';
import { servicesSubgraph } from '@pgamr/services';

export interface Stack {
  gatewayUrl: string;
  gateway: BuiltGateway;
  subgraphs: Record<'identity' | 'services' | 'mandates', TestSubgraph>;
  close(): Promise<void>;
}

/**
 * Every subgraph on its own fresh, seeded database and the gateway in front, all on free
 * loopback ports; the gateway routes to them through `<NAME>_SUBGRAPH_URL`, as in deployment.
 */
export async function startStack(
  options: {
    supergraphPath?: string;
    gatewayLogLines?: string[];
    /** A differently configured identity subgraph (shorter token lifetimes…). */
    identity?: SubgraphDefinition<IdentityLoaders, IdentityServices>;
    jwksCooldownMs?: number;
  } = {},
): Promise<Stack> {
  // Identity first: the others verify tokens against the keys it publishes. It asks services'
  // decision point too, so services' port is chosen now.
  const servicesPort = await freePort();
  const rightsUrl = `http://127.0.0.1:${servicesPort}${RIGHTS_PATH}`;
  const identity = await startTestSubgraph(options.identity ?? identitySubgraph, { rightsUrl });
  const jwksUrl = `${identity.origin}${JWKS_PATH}`;
  const jwks = { jwksUrl, ...(options.jwksCooldownMs === undefined ? {} : { jwksCooldownMs: options.jwksCooldownMs }) };
  // Services next: mandates asks its decision point.
  const services = await startTestSubgraph(servicesSubgraph, { ...jwks, port: servicesPort });
  const directoryUrl = `${identity.origin}${FIRM_USERS_PATH}`;
  const mandates = await startTestSubgraph(mandatesSubgraph, { ...jwks, rightsUrl, directoryUrl });
  const config = readGatewayConfig({
    NODE_ENV: 'test',
    GATEWAY_PORT: '0',
    IDENTITY_SUBGRAPH_URL: identity.url,
    SERVICES_SUBGRAPH_URL: services.url,
    MANDATES_SUBGRAPH_URL: mandates.url,
    IDENTITY_JWKS_URL: jwksUrl,
    ...(options.jwksCooldownMs === undefined ? {} : { JWKS_COOLDOWN_MS: String(options.jwksCooldownMs) }),
    ...(options.supergraphPath ? { SUPERGRAPH_PATH: options.supergraphPath } : {}),
  });
  const lines = options.gatewayLogLines;
  const logger = lines
    ? createLogger('gateway', 'info', 'json', { write: (line: string) => void lines.push(line) })
    : createLogger('gateway', process.env.TEST_LOG_LEVEL ?? 'silent');
  const gateway = await buildGateway(config, logger);
  await gateway.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = gateway.app.server.address() as AddressInfo;
  return {
    gatewayUrl: `http://127.0.0.1:${port}/graphql`,
    gateway,
    subgraphs: { identity, services, mandates },
    async close() {
      await gateway.close();
      await Promise.all([identity.close(), services.close(), mandates.close()]);
    },
  };
}
