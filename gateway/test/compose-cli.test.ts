import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSubgraphSources } from '../src/compose/compose';

const REPOSITORY = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPOSITORY, 'gateway', 'src', 'compose', 'cli.ts');

/** A copy of the composition inputs and the committed supergraph, to edit freely. */
function copyLayout(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgamr-compose-'));
  cpSync(path.join(REPOSITORY, 'supergraph.yaml'), path.join(dir, 'supergraph.yaml'));
  cpSync(path.join(REPOSITORY, 'supergraph.graphql'), path.join(dir, 'supergraph.graphql'));
  cpSync(path.join(REPOSITORY, 'schema.graphql'), path.join(dir, 'schema.graphql'));
  // Every subgraph supergraph.yaml names, at the same relative place.
  for (const { schemaFile } of readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml'))) {
    cpSync(schemaFile, path.join(dir, path.relative(REPOSITORY, schemaFile)));
  }
  return dir;
}

function compose(mode: 'write' | 'check', dir: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, mode, '--config', path.join(dir, 'supergraph.yaml')], {
    cwd: REPOSITORY,
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function editSchema(dir: string, subgraph: string, edit: (sdl: string) => string): void {
  const file = path.join(dir, 'subgraphs', subgraph, 'schema.graphql');
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
}

describe('npm run compose / compose:check', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyLayout();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes when the committed supergraph matches the subgraph schemas', () => {
    const { status, output } = compose('check', dir);
    expect(output).toContain('up to date');
    expect(status).toBe(0);
  });

  it('fails when a subgraph schema was edited and not recomposed, then passes once recomposed', () => {
    editSchema(dir, 'services', (sdl) =>
      sdl.replace('  "Nom complet du service."\n  name: String!', '  "Nom complet du service."\n  name: String!\n  "Adresse web."\n  url: String'),
    );
    const stale = compose('check', dir);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('supergraph.graphql is stale');

    expect(compose('write', dir).status).toBe(0);
    expect(readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8')).toContain('url: String');
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toContain('"""Adresse web."""\n  url: String');
    expect(compose('check', dir).status).toBe(0);
  });

  it('writes the API schema without the federation machinery, descriptions kept, and checks it', () => {
    expect(compose('write', dir).status).toBe(0);
    const api = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    expect(api).not.toMatch(/join__|link__|@link|@join|_entities|_service/);
    expect(api).toContain('"""Nom complet du service."""');
    // The same supergraph always prints the same API schema.
    expect(compose('write', dir).status).toBe(0);
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toBe(api);

    writeFileSync(path.join(dir, 'schema.graphql'), api.replace('"""Nom complet du service."""', '"""Nom."""'));
    const stale = compose('check', dir);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('schema.graphql is stale');
    rmSync(path.join(dir, 'schema.graphql'));
    const missing = compose('check', dir);
    expect(missing.status).toBe(1);
    expect(missing.output).toContain('schema.graphql is missing');
  });

  it('names the subgraph and the reason when composition fails, and writes nothing', () => {
    const before = readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
    const apiBefore = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    // Two subgraphs resolving the same field without @shareable cannot compose.
    editSchema(dir, 'mandates', (sdl) => sdl.replace('type Query {', 'type Query {\n  onlineServices: [OnlineService!]!'));
    const failed = compose('write', dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toContain('Composition failed');
    expect(failed.output).toMatch(/INVALID_FIELD_SHARING.*"Query\.onlineServices".*"(mandates|services)"/);
    expect(readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toBe(apiBefore);
  });

  it('names the subgraph whose schema does not parse', () => {
    editSchema(dir, 'identity', (sdl) => `${sdl}\ntype Broken {`);
    const failed = compose('check', dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toMatch(/\[identity\] .*schema\.graphql: Syntax Error/);
  });
});
