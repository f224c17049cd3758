import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readSubgraphSources } from '../src/compose/compose';
import { compose } from './support/compose';

const REPOSITORY = path.resolve(__dirname, '..', '..');

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

  it('passes when the committed supergraph matches the subgraph schemas', async () => {
    const { status, output } = await compose('check', dir);
    expect(output).toContain('up to date');
    expect(status).toBe(0);
  });

  it('fails when a subgraph schema was edited and not recomposed, then passes once recomposed', async () => {
    editSchema(dir, 'services', (sdl) =>
      sdl.replace('  "Nom complet du service."\n  name: String!', '  "Nom complet du service."\n  name: String!\n  "Adresse web."\n  url: String'),
    );
    const stale = await compose('check', dir);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('supergraph.graphql is stale');

    expect((await compose('write', dir)).status).toBe(0);
    expect(readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8')).toContain('url: String');
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toContain('"""Adresse web."""\n  url: String');
    expect((await compose('check', dir)).status).toBe(0);
  });

  it('writes the API schema without the federation machinery, descriptions kept, and checks it', async () => {
    expect((await compose('write', dir)).status).toBe(0);
    const api = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    expect(api).not.toMatch(/join__|link__|@link|@join|_entities|_service/);
    expect(api).toContain('"""Nom complet du service."""');
    // The same supergraph always prints the same API schema.
    expect((await compose('write', dir)).status).toBe(0);
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toBe(api);

    writeFileSync(path.join(dir, 'schema.graphql'), api.replace('"""Nom complet du service."""', '"""Nom."""'));
    const stale = await compose('check', dir);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('schema.graphql is stale');
    rmSync(path.join(dir, 'schema.graphql'));
    const missing = await compose('check', dir);
    expect(missing.status).toBe(1);
    expect(missing.output).toContain('schema.graphql is missing');
  });

  it('names the subgraph and the reason when composition fails, and writes nothing', async () => {
    const before = readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
    const apiBefore = readFileSync(path.join(dir, 'schema.graphql'), 'utf8');
    // Two subgraphs resolving the same field without @shareable cannot compose.
    editSchema(dir, 'mandates', (sdl) => sdl.replace('type Query {', 'type Query {\n  onlineServices: [OnlineService!]!'));
    const failed = await compose('write', dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toContain('Composition failed');
    expect(failed.output).toMatch(/INVALID_FIELD_SHARING.*"Query\.onlineServices".*"(mandates|services)"/);
    expect(readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8')).toBe(before);
    expect(readFileSync(path.join(dir, 'schema.graphql'), 'utf8')).toBe(apiBefore);
  });

  it('names the subgraph whose schema does not parse', async () => {
    editSchema(dir, 'identity', (sdl) => `${sdl}\ntype Broken {`);
    const failed = await compose('check', dir);
    expect(failed.status).toBe(1);
    expect(failed.output).toMatch(/\[identity\] .*schema\.graphql: Syntax Error/);
  });
});
