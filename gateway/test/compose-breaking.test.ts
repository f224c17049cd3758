import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kind, parse, parseType, print, visit, type FieldDefinitionNode, type InputValueDefinitionNode, type StringValueNode } from 'graphql';
import { readSubgraphSources } from '../src/compose/compose';
import { compose } from './support/compose';

const REPOSITORY = path.resolve(__dirname, '..', '..');

/**
 * A copy of the composition inputs whose supergraph.graphql is composed afresh, so that the
 * baseline is exactly the subgraph schemas of today whatever their state in the working tree.
 */
async function freshLayout(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgamr-schema-changes-'));
  cpSync(path.join(REPOSITORY, 'supergraph.yaml'), path.join(dir, 'supergraph.yaml'));
  for (const { schemaFile } of readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml'))) {
    cpSync(schemaFile, path.join(dir, path.relative(REPOSITORY, schemaFile)));
  }
  const baseline = await compose('write', dir);
  if (baseline.status !== 0) throw new Error(`the subgraph schemas of the working tree do not compose:\n${baseline.output}`);
  return dir;
}

/** Edits the fields of one type of a subgraph's SDL through its AST, whatever its descriptions. */
function editFields(
  dir: string,
  subgraph: string,
  typeName: string,
  edit: (fields: readonly FieldDefinitionNode[]) => FieldDefinitionNode[],
): void {
  const file = path.join(dir, 'subgraphs', subgraph, 'schema.graphql');
  let found = false;
  const edited = visit(parse(readFileSync(file, 'utf8')), {
    ObjectTypeDefinition(node) {
      if (node.name.value !== typeName) return undefined;
      found = true;
      return { ...node, fields: edit(node.fields ?? []) };
    },
  });
  if (!found) throw new Error(`type ${typeName} not found in ${subgraph}`);
  writeFileSync(file, print(edited));
}

const field = (sdl: string): FieldDefinitionNode => {
  const [definition] = parse(`type T { ${sdl} }`).definitions;
  if (definition?.kind !== Kind.OBJECT_TYPE_DEFINITION || !definition.fields) throw new Error(sdl);
  return definition.fields[0]!;
};

const requiredArgument = (name: string): InputValueDefinitionNode => ({
  kind: Kind.INPUT_VALUE_DEFINITION,
  name: { kind: Kind.NAME, value: name },
  type: parseType('String!'),
});

const acceptedFile = (dir: string) => path.join(dir, 'schema-changes.accepted.json');

describe('npm run compose / compose:check: breaking changes of the API schema', () => {
  let dir: string;
  let supergraph: () => string;
  const newDescription: StringValueNode = { kind: Kind.STRING, value: 'Sigle, en majuscules.' };
  beforeEach(async () => {
    dir = await freshLayout();
    supergraph = () => readFileSync(path.join(dir, 'supergraph.graphql'), 'utf8');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails on a removed field and a new required argument, naming them, and compose writes nothing', async () => {
    const before = supergraph();
    editFields(dir, 'services', 'OnlineService', (fields) => fields.filter((each) => each.name.value !== 'name'));
    editFields(dir, 'services', 'Query', (fields) =>
      fields.map((each) =>
        each.name.value === 'onlineServices' ? { ...each, arguments: [...(each.arguments ?? []), requiredArgument('sector')] } : each,
      ),
    );

    const check = await compose('check', dir);
    expect(check.status).toBe(1);
    expect(check.output).toContain('2 breaking change(s) of the API schema');
    expect(check.output).toContain("Field 'name' was removed from object type 'OnlineService' (OnlineService.name)");
    expect(check.output).toContain("Argument 'sector: String!' added to field 'Query.onlineServices' (Query.onlineServices.sector)");
    expect(check.output).not.toContain('is stale');

    const write = await compose('write', dir);
    expect(write.status).toBe(1);
    expect(write.output).toContain('supergraph.graphql was left unchanged');
    expect(supergraph()).toBe(before);
  });

  it('passes on additive changes (a field, a description, a fourth subgraph): compose writes silently, then the check is clean', async () => {
    editFields(dir, 'services', 'OnlineService', (fields) => [
      ...fields.map((each) =>
        each.name.value === 'code' ? { ...each, description: newDescription } : each,
      ),
      field('"Adresse web du service." url: String'),
    ]);
    mkdirSync(path.join(dir, 'subgraphs', 'registry'));
    writeFileSync(
      path.join(dir, 'subgraphs', 'registry', 'schema.graphql'),
      [
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key"])',
        '"Un registre municipal."',
        'type Registry @key(fields: "id") { id: ID! "Nom du registre." name: String! }',
        'type Query { "Les registres." registries: [Registry!]! }',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'supergraph.yaml'),
      `${readFileSync(path.join(dir, 'supergraph.yaml'), 'utf8')}  registry:\n    routing_url: http://127.0.0.1:4009/graphql\n    schema:\n      file: ./subgraphs/registry/schema.graphql\n`,
    );

    const stale = await compose('check', dir);
    expect(stale.output).not.toMatch(/breaking|dangerous/);
    expect(stale.output).toContain('is stale');

    const write = await compose('write', dir);
    expect(write.output).not.toMatch(/breaking|dangerous/);
    expect(write.status).toBe(0);
    expect(supergraph()).toContain('url: String');
    expect(supergraph()).toContain('registries: [Registry!]!');
    expect(await compose('check', dir)).toEqual({ status: 0, output: expect.stringContaining('up to date') });
  });

  it('passes on a removal accepted in schema-changes.accepted.json, by path or by message', async () => {
    editFields(dir, 'services', 'OnlineService', (fields) => fields.filter((each) => !['name', 'description'].includes(each.name.value)));
    writeFileSync(
      acceptedFile(dir),
      JSON.stringify([
        { change: 'OnlineService.name', reason: 'Remplacé par code partout.', acceptedBy: 'Équipe services' },
        {
          change: "Field 'description' was removed from object type 'OnlineService'",
          reason: 'Aucun client ne le lit.',
          acceptedBy: 'Équipe services',
        },
      ]),
    );

    const check = await compose('check', dir);
    expect(check.output).toContain(
      "breaking, accepted in " + path.relative(REPOSITORY, acceptedFile(dir)) + ": Field 'name' was removed from object type 'OnlineService'",
    );
    expect(check.output).toContain("accepted in " + path.relative(REPOSITORY, acceptedFile(dir)) + ": Field 'description' was removed");
    expect(check.output).not.toContain('breaking change(s)');
    expect(check.output).toContain('is stale');

    expect((await compose('write', dir)).status).toBe(0);
    expect(supergraph()).not.toMatch(/type OnlineService[^}]*\bname: String!/);
    expect((await compose('check', dir)).status).toBe(0);
  });

  it('still fails on a breaking change the accepted file does not cover', async () => {
    editFields(dir, 'services', 'OnlineService', (fields) => fields.filter((each) => each.name.value !== 'name'));
    writeFileSync(acceptedFile(dir), JSON.stringify([{ change: 'OnlineService.code', reason: 'Autre champ.', acceptedBy: 'X' }]));
    const check = await compose('check', dir);
    expect(check.status).toBe(1);
    expect(check.output).toContain('1 breaking change(s)');
    expect(check.output).toContain('(OnlineService.name)');
  });

  it('with --base, fails on a breaking change already recomposed into the committed supergraph', async () => {
    const base = path.join(dir, 'base.graphql');
    cpSync(path.join(dir, 'supergraph.graphql'), base);
    editFields(dir, 'services', 'OnlineService', (fields) => fields.filter((each) => each.name.value !== 'name'));
    // As a merge request would have it: recomposed (here into a new file, which has no baseline) and committed.
    expect((await compose('write', dir, '--out', path.join(dir, 'recomposed.graphql'))).status).toBe(0);
    cpSync(path.join(dir, 'recomposed.graphql'), path.join(dir, 'supergraph.graphql'));
    expect((await compose('check', dir)).status).toBe(0);

    const againstBase = await compose('check', dir, '--base', base);
    expect(againstBase.status).toBe(1);
    expect(againstBase.output).toContain('1 breaking change(s) of the API schema against');
    expect(againstBase.output).toContain('(OnlineService.name)');
  });

  it('rejects an accepted file whose entry lacks a reason', async () => {
    editFields(dir, 'services', 'OnlineService', (fields) => fields.filter((each) => each.name.value !== 'name'));
    writeFileSync(acceptedFile(dir), JSON.stringify([{ change: 'OnlineService.name', acceptedBy: 'X' }]));
    const check = await compose('check', dir);
    expect(check.status).toBe(1);
    expect(check.output).toMatch(/schema-changes\.accepted\.json invalide .*\n- 0\.reason/);
  });
});
