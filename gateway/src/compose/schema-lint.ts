import { existsSync, readFileSync } from 'node:fs';
import graphqlEslint from '@graphql-eslint/eslint-plugin';
import { Linter } from 'eslint';
import { buildSchema, Kind, parse, printSchema, type ASTNode, type GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { checkProjectRules, type PlainListEntry, type SchemaViolation } from './schema-rules';

export { PLAIN_LISTS_FILE, type PlainListEntry, type SchemaViolation } from './schema-rules';

/**
 * The rules of `@graphql-eslint/eslint-plugin` the API schema is held to: its recommended schema
 * rules that still mean something on a printed schema (whose descriptions are all block strings
 * and which has no comments, so `description-style` and `no-hashtag-description` are left out),
 * the Relay connection rules, and `input-name`. Left out on purpose: `strict-id-in-types` (value
 * types such as a support contact have no id), `relay-edge-types`' Node interface and
 * list-of-edges options (the API has no global `Node`; connections also have `nodes`),
 * `require-nullable-result-in-root` and `alphabetize` (not conventions of this API), and
 * `unique-enum-value-names` (values in UPPER_CASE cannot differ by case alone).
 */
export const GRAPHQL_ESLINT_RULES: Linter.RulesRecord = {
  '@graphql-eslint/naming-convention': [
    'error',
    {
      types: 'PascalCase',
      FieldDefinition: 'camelCase',
      InputValueDefinition: 'camelCase',
      Argument: 'camelCase',
      DirectiveDefinition: 'camelCase',
      EnumValueDefinition: 'UPPER_CASE',
      'FieldDefinition[parent.name.value=Query]': { forbiddenPrefixes: ['query', 'get'], forbiddenSuffixes: ['Query'] },
      'FieldDefinition[parent.name.value=Mutation]': { forbiddenPrefixes: ['mutation'], forbiddenSuffixes: ['Mutation'] },
      'EnumTypeDefinition,EnumTypeExtension': { forbiddenPrefixes: ['Enum'], forbiddenSuffixes: ['Enum'] },
      'InterfaceTypeDefinition,InterfaceTypeExtension': { forbiddenPrefixes: ['Interface'], forbiddenSuffixes: ['Interface'] },
      'UnionTypeDefinition,UnionTypeExtension': { forbiddenPrefixes: ['Union'], forbiddenSuffixes: ['Union'] },
      'ObjectTypeDefinition,ObjectTypeExtension': { forbiddenPrefixes: ['Type'], forbiddenSuffixes: ['Type'] },
    },
  ],
  '@graphql-eslint/require-description': [
    'error',
    { types: true, rootField: true, FieldDefinition: true, InputValueDefinition: true, EnumValueDefinition: true, DirectiveDefinition: true },
  ],
  '@graphql-eslint/no-typename-prefix': 'error',
  '@graphql-eslint/no-unreachable-types': 'error',
  '@graphql-eslint/require-deprecation-reason': 'error',
  '@graphql-eslint/relay-connection-types': 'error',
  '@graphql-eslint/relay-edge-types': ['error', { withEdgeSuffix: true, shouldImplementNode: false, listTypeCanWrapOnlyEdgeType: false }],
  '@graphql-eslint/relay-page-info': 'error',
  // `last`/`before` only where a screen pages backwards (api-conventions.md).
  '@graphql-eslint/relay-arguments': ['error', { includeBoth: false }],
  // `createDossier(input: CreateDossierInput!)`: the type is the mutation's name, capitalized, and `Input`.
  '@graphql-eslint/input-name': ['error', { checkInputType: true, caseSensitiveInputType: false }],
};

const plainListsSchema = z.array(z.object({ field: z.string().regex(/^\w+\.\w+$/), reason: z.string().min(1) }));

/** Reads the plain lists of records allowed; a missing file allows none. */
export function readPlainLists(file: string): PlainListEntry[] {
  if (!existsSync(file)) return [];
  const parsed = plainListsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} invalide (attendu : [{ "field": "Type.champ", "reason": "…" }]) : ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/**
 * Lints an API schema (the supergraph without its federation machinery, as `schema.graphql`):
 * the `@graphql-eslint` rules above on its printed SDL, then the project's own rules
 * (`schema-rules.ts`). Every violation names its rule and its coordinate (`Type.field(arg:)`),
 * sorted by coordinate then rule.
 *
 * graphql-eslint remembers a few facts of the first schema it sees per process (the `PageInfo`
 * check, the edge types) outside `NODE_ENV=test`: one schema per process, as the CLI does, or tests.
 */
export function lintApiSchema(schema: GraphQLSchema | string, options: { plainLists?: readonly PlainListEntry[] } = {}): SchemaViolation[] {
  const built = typeof schema === 'string' ? buildSchema(schema) : schema;
  const sdl = printSchema(built);
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    sdl,
    [
      {
        files: ['**/*.graphql'],
        languageOptions: { parser: graphqlEslint.parser, parserOptions: { schemaSdl: sdl } },
        plugins: { '@graphql-eslint': graphqlEslint as unknown as NonNullable<Linter.Config['plugins']>[string] },
        rules: GRAPHQL_ESLINT_RULES,
      },
    ],
    { filename: 'schema.graphql' },
  );
  const coordinateAt = coordinatesOf(sdl);
  const fromPlugin = messages.map((message) => ({
    rule: message.ruleId ?? 'graphql-eslint',
    coordinate: coordinateAt(message.line, message.column),
    message: message.message,
  }));
  // By code points, so that the order does not depend on the machine's locale.
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...fromPlugin, ...checkProjectRules(built, options.plainLists ?? [])].sort(
    (a, b) => compare(a.coordinate, b.coordinate) || compare(a.rule, b.rule) || compare(a.message, b.message),
  );
}

/** For a position in the SDL, the coordinate of the innermost element written there (`schéma` when none). */
function coordinatesOf(sdl: string): (line: number, column: number) => string {
  const ranges: Array<{ start: number; end: number; coordinate: string }> = [];
  const add = (node: ASTNode, coordinate: string) => {
    if (node.loc) ranges.push({ start: node.loc.start, end: node.loc.end, coordinate });
  };
  for (const definition of parse(sdl).definitions) {
    if (!('name' in definition) || !definition.name) continue;
    const typeName = definition.name.value;
    add(definition, typeName);
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      for (const field of definition.fields ?? []) {
        add(field, `${typeName}.${field.name.value}`);
        for (const argument of field.arguments ?? []) add(argument, `${typeName}.${field.name.value}(${argument.name.value}:)`);
      }
    } else if (definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      for (const field of definition.fields ?? []) add(field, `${typeName}.${field.name.value}`);
    } else if (definition.kind === Kind.ENUM_TYPE_DEFINITION) {
      for (const value of definition.values ?? []) add(value, `${typeName}.${value.name.value}`);
    }
  }
  const lineStarts = [0];
  for (let index = 0; index < sdl.length; index++) if (sdl[index] === '\n') lineStarts.push(index + 1);
  return (line, column) => {
    const offset = (lineStarts[line - 1] ?? 0) + column - 1;
    const containing = ranges.filter((range) => range.start <= offset && offset < range.end);
    // The innermost is the shortest range around the position.
    containing.sort((a, b) => a.end - a.start - (b.end - b.start));
    return containing[0]?.coordinate ?? 'schéma';
  };
}
