// `npm start`: the subgraphs and the gateway in one process tree, logs prefixed by service,
// the gateway's URL printed once every subgraph answers. Ctrl-C stops everything cleanly.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import concurrently from 'concurrently';
import { parse as parseYaml } from 'yaml';

// Every subgraph supergraph.yaml names, so a new ministry's subgraph starts with the others
// (R23); its entry point sits beside its schema, in src/index.ts.
const COLORS = ['cyan', 'magenta', 'yellow', 'blue', 'red', 'white'];
const supergraphConfig = parseYaml(readFileSync('supergraph.yaml', 'utf8'));
const services = [
  ...Object.entries(supergraphConfig.subgraphs).map(([name, subgraph], index) => ({
    name,
    entry: path.join(path.dirname(subgraph.schema.file), 'src', 'index.ts'),
    color: COLORS[index % COLORS.length],
  })),
  { name: 'gateway', entry: 'gateway/src/index.ts', color: 'green' },
];

const env = { LOG_FORMAT: 'pretty', ...process.env, APOLLO_TELEMETRY_DISABLED: 'true' };
// A subgraph moved to another port is where the gateway must route, unless told otherwise.
// Every subgraph npm start runs is built on the kit: its /ready also checks its database, so the
// gateway's readiness asks it there rather than with its GraphQL probe.
for (const { name } of services.filter((service) => service.name !== 'gateway')) {
  const prefix = name.toUpperCase().replaceAll('-', '_');
  if (env[`${prefix}_PORT`] && !env[`${prefix}_SUBGRAPH_URL`]) {
    env[`${prefix}_SUBGRAPH_URL`] = `http://127.0.0.1:${env[`${prefix}_PORT`]}/graphql`;
  }
  const graphqlUrl = env[`${prefix}_SUBGRAPH_URL`] ?? supergraphConfig.subgraphs[name].routing_url;
  env[`${prefix}_SUBGRAPH_HEALTH_URL`] ??= graphqlUrl.replace(/\/graphql\/?$/, '/ready');
}
// Mandates (and any ministry subgraph) asks services' decision point.
if (env.SERVICES_PORT && !env.SERVICES_RIGHTS_URL) {
  env.SERVICES_RIGHTS_URL = `http://127.0.0.1:${env.SERVICES_PORT}/authz/v1/rights`;
}
// Every hop verifies tokens against identity's published keys.
if (env.IDENTITY_PORT && !env.IDENTITY_JWKS_URL) {
  env.IDENTITY_JWKS_URL = `http://127.0.0.1:${env.IDENTITY_PORT}/.well-known/jwks.json`;
}
// Mandates names mandataires through identity's directory of firm users; services checks grantees in it.
if (env.IDENTITY_PORT && !env.IDENTITY_DIRECTORY_URL) {
  env.IDENTITY_DIRECTORY_URL = `http://127.0.0.1:${env.IDENTITY_PORT}/directory/v1/firm-users`;
}
// Services asks mandates' decision point whether an external auditor holds a mandate (R13).
if (env.MANDATES_PORT && !env.MANDATES_DECISION_URL) {
  env.MANDATES_DECISION_URL = `http://127.0.0.1:${env.MANDATES_PORT}/authz/v1/mandates`;
}
const gatewayPort = Number(env.GATEWAY_PORT ?? 4000);
const gatewayHost = env.HOST && env.HOST !== '0.0.0.0' ? env.HOST : '127.0.0.1';
const gatewayOrigin = `http://${gatewayHost.includes(':') ? `[${gatewayHost}]` : gatewayHost}:${gatewayPort}`;

const { result, commands } = concurrently(
  services.map(({ name, entry, color }) => ({
    name,
    // exec: node replaces the shell, so signals reach it directly and its own exit code is reported.
    command: `exec "${process.execPath}" --import tsx ${entry}`,
    prefixColor: color,
    env,
  })),
  { prefix: 'name', killOthersOn: ['failure'], killSignal: 'SIGTERM' },
);

let stopped = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopped = true;
    for (const command of commands) command.kill(signal);
  });
}

async function announceWhenReady() {
  const started = Date.now();
  while (!stopped && Date.now() - started < 180_000) {
    try {
      const response = await fetch(`${gatewayOrigin}/ready`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) {
        const seconds = ((Date.now() - started) / 1000).toFixed(1);
        console.log(`\n  PGAMR prêt en ${seconds} s — passerelle GraphQL : ${gatewayOrigin}/graphql\n`);
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

void announceWhenReady();
result.then(
  () => process.exit(0),
  (events) => {
    const failed = events.filter((event) => event.exitCode !== 0 && !stopped);
    process.exit(failed.length > 0 ? 1 : 0);
  },
);
