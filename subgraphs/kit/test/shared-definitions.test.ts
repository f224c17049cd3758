import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DefinitionNode } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { KIT_SCALARS } from '../src/scalars';

// The kit's shared definitions (subgraphs/kit/schema/) are copied word for word into each
// subgraph that uses them: one page model, one audit entry shape, one set of scalars (R23: a new
// ministry's subgraph copies them from the kit, nothing from another team).

const ROOT = path.resolve(__dirname, '..', '..', '..');
const KIT_SCHEMA = path.resolve(__dirname, '..', 'schema');

const namedDefinitions = (sdl: string) =>
  new Map(
    parse(sdl).definitions.flatMap((definition: DefinitionNode) =>
      'name' in definition && definition.name ? [[definition.name.value, definition] as const] : [],
    ),
  );

const shared = new Map([
  ...namedDefinitions(readFileSync(path.join(KIT_SCHEMA, 'common.graphql'), 'utf8')),
  ...namedDefinitions(readFileSync(path.join(KIT_SCHEMA, 'audit.graphql'), 'utf8')),
]);

const subgraphs = Object.entries(
  (parseYaml(readFileSync(path.join(ROOT, 'supergraph.yaml'), 'utf8')) as { subgraphs: Record<string, { schema: { file: string } }> }).subgraphs,
).map(([name, { schema }]) => ({ name, definitions: namedDefinitions(readFileSync(path.resolve(ROOT, schema.file), 'utf8')) }));

describe("the kit's shared definitions", () => {
  it('declares a resolver for every scalar it shares', () => {
    const scalars = [...shared.values()].filter((definition) => definition.kind === Kind.SCALAR_TYPE_DEFINITION);
    expect(scalars.map((definition) => ('name' in definition ? definition.name?.value : undefined)).sort()).toEqual([...KIT_SCALARS.keys()].sort());
  });

  it.each(subgraphs.map((subgraph) => [subgraph.name, subgraph] as const))('%s copies each one it uses word for word', (_name, subgraph) => {
    for (const [name, definition] of shared) {
      const copy = subgraph.definitions.get(name);
      if (copy) expect({ name, copy: print(copy) }).toEqual({ name, copy: print(definition) });
    }
  });
});
