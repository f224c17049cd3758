// `npm run subgraph:new -- <name> [--entity <PascalName>] [--service <CODE>] [--direction <CODE>]
//   [--ministry <name>] [--sector <SECTOR>] [--port <n>] [--no-register | --no-compose]`
// Scaffolds subgraphs/<name> on the shared kit from scripts/subgraph-template: schema (on the API v1
// contract: the kit's shared definitions copied word for word, a connection, an input and a payload),
// server, one entity linked to Organization, access through the services decision point, the
// catalog declaration of its online service (catalog.json, registered with services at start-up,
// R23), its resolver types generated from its schema (src/generated/), its first migration and a
// test. Unless --no-register, also lists the workspace in package.json, adds the subgraph to
// supergraph.yaml and, unless --no-compose, recomposes supergraph.graphql. It writes nothing else:
// no other subgraph's file. See docs/adding-a-subgraph.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEMPLATE = path.join(ROOT, 'scripts', 'subgraph-template');
const KIT_SCHEMA = path.join(ROOT, 'subgraphs', 'kit', 'schema');
/** The kit's shared definitions the template's schema uses, copied word for word (`__KIT_DEFINITIONS__`). */
const KIT_DEFINITIONS = ['DateTime', 'PageInfo'];

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    entity: { type: 'string' },
    service: { type: 'string' },
    direction: { type: 'string' },
    ministry: { type: 'string' },
    sector: { type: 'string', default: 'INFRASTRUCTURES' },
    port: { type: 'string' },
    'no-register': { type: 'boolean', default: false },
    'no-compose': { type: 'boolean', default: false },
  },
});

const name = positionals[0];
if (!name || !/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) {
  fail(
    'usage: npm run subgraph:new -- <name> [--entity <PascalName>] [--service <CODE>] [--direction <CODE>] [--ministry <name>] [--sector <SECTOR>] [--port <n>] [--no-register | --no-compose]\n(name in kebab-case, e.g. road-aid)',
  );
}
const target = path.join(ROOT, 'subgraphs', name);
if (existsSync(target)) fail(`subgraphs/${name} already exists.`);

const words = name.split('-');
const pascal = (parts) => parts.map((word) => word[0].toUpperCase() + word.slice(1)).join('');
const camel = (text) => text[0].toLowerCase() + text.slice(1);
const entity = values.entity ?? `${pascal(words)}Request`;
if (!/^[A-Z][A-Za-z0-9]*$/.test(entity)) fail('--entity must be PascalCase, e.g. RoadAidApplication');
const entityWords = entity.split(/(?=[A-Z])/).map((word) => word.toLowerCase());
const service = values.service ?? name.toUpperCase();
const direction = values.direction ?? name.toUpperCase().slice(0, 20);
// The kit checks catalog.json when the subgraph (or its test) starts; these only catch a typo early.
if (!/^[\p{Lu}0-9][\p{Lu}0-9-]{0,29}$/u.test(service)) fail('--service: a catalog code in capitals, 30 characters at most (e.g. PAVL)');
if (!/^[A-Z][A-Z0-9-]{0,19}$/.test(direction)) fail('--direction: a direction code in capitals, 20 characters at most (e.g. DGAT)');
if (!/^[A-Z_]+$/.test(values.sector)) fail('--sector: one of the kit\'s sectors (subgraphs/kit/src/catalog/sectors.ts), e.g. INFRASTRUCTURES');
/** A value written inside a JSON string of catalog.json. */
const jsonText = (text) => JSON.stringify(text).slice(1, -1);
const supergraphPath = path.join(ROOT, 'supergraph.yaml');
const port = Number(values.port ?? nextFreePort(readFileSync(supergraphPath, 'utf8')));

// Longest tokens first: `__entity_file__` must not be read as `__entity__`.
const tokens = [
  ['__entity_table__', entityWords.join('_')],
  ['__entity_file__', entityWords.join('-')],
  ['__entities__', `${camel(entity)}s`],
  ['__entity__', camel(entity)],
  ['__Entity__', entity],
  ['__Camel__', pascal(words)],
  ['__camel__', camel(pascal(words))],
  ['__name__', name],
  ['__SERVICE__', service],
  ['__DIRECTION__', direction],
  ['__MINISTRY__', jsonText(values.ministry ?? 'Ministère à préciser')],
  ['__SECTOR__', values.sector],
  ['__PORT__', String(port)],
  ['__KIT_DEFINITIONS__', kitDefinitions(KIT_DEFINITIONS)],
];
const fill = (text) => tokens.reduce((result, [token, value]) => result.replaceAll(token, value), text);

copyTemplate(TEMPLATE, target);
// Its resolvers are typed from its SDL, as every subgraph's (`npm run codegen` regenerates them).
execFileSync(process.execPath, ['--import', 'tsx', 'scripts/codegen/cli.ts', 'write', `subgraphs/${name}`], { cwd: ROOT, stdio: 'inherit' });
// The first migration is diffed from the entity, as every later one (`npm run migration:create`).
execFileSync(process.execPath, ['--import', 'tsx', 'subgraphs/kit/src/cli/create-migration.ts', `subgraphs/${name}/src/server.ts`], {
  cwd: ROOT,
  stdio: 'inherit',
});

if (!values['no-register']) {
  const packagePath = path.join(ROOT, 'package.json');
  const rootPackage = JSON.parse(readFileSync(packagePath, 'utf8'));
  const workspace = `subgraphs/${name}`;
  if (!rootPackage.workspaces.includes(workspace)) {
    // Before the gateway, which stays last: subgraphs first, in the order they joined.
    rootPackage.workspaces.splice(rootPackage.workspaces.indexOf('gateway'), 0, workspace);
    writeFileSync(packagePath, `${JSON.stringify(rootPackage, null, 2)}\n`);
  }
  const yaml = readFileSync(supergraphPath, 'utf8');
  const entry = `  ${name}:\n    routing_url: http://127.0.0.1:${port}/graphql\n    schema:\n      file: ./subgraphs/${name}/schema.graphql\n`;
  writeFileSync(supergraphPath, `${yaml.endsWith('\n') ? yaml : `${yaml}\n`}${entry}`);
  // A running gateway reloads supergraph.graphql as soon as it changes: --no-compose leaves that
  // for after the new subgraph runs, so that the gateway's /ready stays green.
  if (!values['no-compose']) {
    execFileSync(process.execPath, ['--import', 'tsx', 'gateway/src/compose/cli.ts', 'write'], { cwd: ROOT, stdio: 'inherit' });
  }
}

console.log(`
Subgraph « ${name} » créé dans subgraphs/${name} (port ${port}, entité ${entity}, service ${service}, direction ${direction}).
Next steps (docs/adding-a-subgraph.md):
  npm install                                  link @pgamr/${name} into node_modules
  edit subgraphs/${name}/catalog.json          your service's name, description, direction and support contact
  ${values['no-register'] ? `register it in package.json workspaces and supergraph.yaml, then npm run compose\n  ` : ''}npm run test:jest -- subgraphs/${name}       its own test
  npm start                                    runs it with the others (read from supergraph.yaml);
                                               it registers ${service} with the services catalog as it starts
${values['no-compose'] && !values['no-register'] ? `  npm run compose                              once it runs and answers /ready (a running gateway reloads at once)\n` : ''}`);

function copyTemplate(from, to) {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = path.join(from, entry);
    // Templates end in .tmpl so that neither tsc nor eslint reads them as the repository's code.
    const destination = path.join(to, fill(entry).replace(/\.tmpl$/, ''));
    if (statSync(source).isDirectory()) copyTemplate(source, destination);
    else writeFileSync(destination, fill(readFileSync(source, 'utf8')));
  }
}

/**
 * The named definitions of the kit's shared SDL, each with its description, as the kit's files
 * write them (definitions there are separated by blank lines), in the order asked.
 */
function kitDefinitions(names) {
  const blocks = readdirSync(KIT_SCHEMA)
    .filter((file) => file.endsWith('.graphql'))
    .flatMap((file) => readFileSync(path.join(KIT_SCHEMA, file), 'utf8').split(/\n\s*\n/));
  return names
    .map((name) => {
      const block = blocks.find((text) => new RegExp(`^(scalar|type|enum|input|interface|union) ${name}\\b`, 'm').test(text));
      if (!block) fail(`The kit's schema (subgraphs/kit/schema/) defines no ${name}.`);
      return `${block.trim()}\n`;
    })
    .join('\n');
}

/** One past the highest port supergraph.yaml routes to locally. */
function nextFreePort(yaml) {
  const ports = [...yaml.matchAll(/routing_url:\s*http:\/\/127\.0\.0\.1:(\d+)\//g)].map((match) => Number(match[1]));
  return Math.max(4000, ...ports) + 1;
}

function fail(message) {
  console.error(message);
  process.exit(1);
}
