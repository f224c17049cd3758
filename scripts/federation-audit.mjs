#!/usr/bin/env node
// `npm run audit:federation -- <audit> [suite]`: runs The Guild's federation gateway audit
// (github.com/graphql-hive/federation-gateway-audit, checked out at <audit> and `npm install`ed
// there) against this repository's gateway, in its production profile, as an operator from
// another ministry would run it in front of other teams' subgraphs. One suite when named, else
// all 46 (about 15 minutes: the gateway restarts for each). The audit serves every suite's
// subgraphs on loopback and hands the gateway that suite's supergraph; its report is written to
// <audit>/gateways/pgamr/results.txt, one line of dots (passed) and X (failed) per suite.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build.mjs';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [auditArgument, suite] = process.argv.slice(2);
if (!auditArgument || !existsSync(path.join(auditArgument, 'src', 'cli.ts'))) {
  console.error('usage: npm run audit:federation -- <path of the federation-gateway-audit checkout> [suite]');
  process.exit(2);
}
const audit = path.resolve(auditArgument);
if (!existsSync(path.join(audit, 'node_modules'))) {
  console.error(`${audit}: run « npm install » there first`);
  process.exit(2);
}

// Ports of our own, away from the audit's defaults (4000, 4200) and the stack's (4000–4004).
const AUDIT_PORT = process.env.AUDIT_PORT ?? '4790';
const GATEWAY_PORT = process.env.AUDIT_GATEWAY_PORT ?? '4781';
const gatewayDir = path.join(audit, 'gateways', 'pgamr');
// The gateway runs as in production, from its bundle (npm run build), built now when stale.
await buildIfStale({ log: (line) => console.log(line) });
mkdirSync(gatewayDir, { recursive: true });

// The audit runs this before each suite: fetch the suite's supergraph, then start the gateway on
// it. Production profile, default limits; nothing an operator would not set. Our own auth, CSRF
// prevention and persisted operations need nothing from the audit's plain JSON POSTs.
writeFileSync(
  path.join(gatewayDir, 'run.sh'),
  [
    `npm start supergraph -- --cwd ./gateways/pgamr --test "$1" --port ${AUDIT_PORT}`,
    `cd ${JSON.stringify(REPOSITORY)} && NODE_ENV=production HOST=127.0.0.1 GATEWAY_PORT=${GATEWAY_PORT} \\`,
    `  SUPERGRAPH_PATH=${JSON.stringify(path.join(gatewayDir, 'supergraph.graphql'))} APOLLO_TELEMETRY_DISABLED=true LOG_LEVEL=warn \\`,
    '  exec node --enable-source-maps gateway/dist/index.js',
    '',
  ].join('\n'),
);

const graphql = `http://127.0.0.1:${GATEWAY_PORT}/graphql`;
const health = `http://127.0.0.1:${GATEWAY_PORT}/health`;
const command = suite ? ['test-suite', '--test', suite] : ['test'];
const env = {
  ...process.env,
  APOLLO_TELEMETRY_DISABLED: 'true',
  // The audit waits 5 s for a gateway to answer; ours starts in more on a small machine.
  GATEWAY_TIMEOUT: process.env.GATEWAY_TIMEOUT ?? '90000',
};
// The audit's CLI uses Promise.withResolvers (Node 22); this repository supports Node 20.19.
if (typeof Promise.withResolvers !== 'function') {
  env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import ${JSON.stringify(path.join(REPOSITORY, 'scripts', 'promise-with-resolvers.mjs'))}`.trim();
}
const child = spawn(
  'npm',
  ['start', '--', ...command, '--cwd', './gateways/pgamr', '--run-script', './run.sh', '--reporter', 'dot', '--graphql', graphql, '--healthcheck', health, '--port', AUDIT_PORT],
  { cwd: audit, env, stdio: 'inherit' },
);
child.on('exit', (code) => process.exit(code ?? 1));
