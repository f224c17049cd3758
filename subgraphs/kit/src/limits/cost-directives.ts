import {
  Kind,
  parse,
  valueFromASTUntyped,
  type ConstArgumentNode,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** `@listSize` of a field (IBM GraphQL Cost Directive specification; Apollo's cost/v0.1). */
export interface ListSize {
  /** The size assumed when no slicing argument says it. */
  assumedSize?: number;
  /** Arguments whose value is the size of the list (`first`): the largest of those given. */
  slicingArguments: string[];
  /** Fields of the returned type that the slicing arguments size, not the field itself (a connection's `nodes`, `edges`). */
  sizedFields: string[];
  /** Exactly one slicing argument must be given (a schema default counts as given). */
  requireOneSlicingArgument: boolean;
}

/**
 * The `@cost` weights and `@listSize` of a schema, by coordinate: `Type` (objects, scalars,
 * enums), `Type.field`, `Type.field(argument:)`, `Input.field`. Built once per schema: the
 * estimate looks them up for every field of every operation.
 */
export class CostDirectives {
  readonly weights = new Map<string, number>();
  readonly listSizes = new Map<string, ListSize>();

  /** From SDL: a subgraph's (`@link` of federation v2.9+ or of cost/v0.1) or a composed supergraph's. */
  static fromDocument(document: DocumentNode): CostDirectives {
    const directives = new CostDirectives();
    const names = directiveNames(document.definitions);
    for (const definition of document.definitions) directives.read(definition, names);
    return directives;
  }

  /** From the SDL a schema was built from (its AST nodes), as `buildSubgraphSchema` keeps them. */
  static fromSchema(schema: GraphQLSchema): CostDirectives {
    const definitions: DefinitionNode[] = [];
    if (schema.astNode) definitions.push(schema.astNode);
    definitions.push(...schema.extensionASTNodes);
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.astNode) definitions.push(type.astNode);
      definitions.push(...type.extensionASTNodes);
    }
    return CostDirectives.fromDocument({ kind: Kind.DOCUMENT, definitions });
  }

  /** From the text of a supergraph: the gateway's API schema keeps none of its directives. */
  static fromSdl(sdl: string): CostDirectives {
    return CostDirectives.fromDocument(parse(sdl, { noLocation: true }));
  }

  private read(definition: DefinitionNode, names: DirectiveNames): void {
    switch (definition.kind) {
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION: {
        const typeName = definition.name.value;
        this.readWeight(typeName, definition.directives, names);
        for (const field of definition.fields ?? []) {
          const coordinate = `${typeName}.${field.name.value}`;
          this.readWeight(coordinate, field.directives, names);
          const listSize = field.directives?.find((directive) => names.listSize.has(directive.name.value));
          if (listSize) this.listSizes.set(coordinate, listSizeOf(listSize));
          for (const argument of field.arguments ?? []) this.readWeight(`${coordinate}(${argument.name.value}:)`, argument.directives, names);
        }
        return;
      }
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) this.readWeight(`${definition.name.value}.${field.name.value}`, field.directives, names);
        return;
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        this.readWeight(definition.name.value, definition.directives, names);
        return;
      default:
        return;
    }
  }

  private readWeight(coordinate: string, directives: readonly ConstDirectiveNode[] | undefined, names: DirectiveNames): void {
    const cost = directives?.find((directive) => names.cost.has(directive.name.value));
    const weight = cost ? numberOf(argument(cost, 'weight')) : undefined;
    if (weight !== undefined) this.weights.set(coordinate, weight);
  }
}

interface DirectiveNames {
  cost: Set<string>;
  listSize: Set<string>;
}

const COST_SPEC = 'https://specs.apollo.dev/cost/';
const FEDERATION_SPEC = 'https://specs.apollo.dev/federation/';

/**
 * The names the directives go by in this SDL, from its `@link`s (core schemas rename what they do
 * not import: `@federation__listSize`, `@cost__listSize`, or an `as:`). The plain `@cost` and
 * `@listSize` are always read, as a schema that declares them without `@link` writes them.
 */
function directiveNames(definitions: readonly DefinitionNode[]): DirectiveNames {
  const names: DirectiveNames = { cost: new Set(['cost']), listSize: new Set(['listSize']) };
  for (const definition of definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = argument(link, 'url');
      if (typeof url !== 'string') continue;
      const spec = url.startsWith(COST_SPEC) ? 'cost' : url.startsWith(FEDERATION_SPEC) ? 'federation' : undefined;
      if (!spec) continue;
      const as = argument(link, 'as');
      const namespace = typeof as === 'string' ? as : spec;
      const imports = importsOf(argument(link, 'import'));
      // A spec's eponymous directive goes by its namespace: cost/v0.1's `@cost` is `@cost`.
      names.cost.add(imports.get('cost') ?? (spec === 'cost' ? namespace : `${namespace}__cost`));
      names.listSize.add(imports.get('listSize') ?? `${namespace}__listSize`);
    }
  }
  return names;
}

/** `import: ["@cost", { name: "@listSize", as: "@size" }]` → the local name of each directive imported. */
function importsOf(value: unknown): Map<string, string> {
  const imports = new Map<string, string>();
  if (!Array.isArray(value)) return imports;
  const entries: readonly unknown[] = value;
  for (const entry of entries) {
    const object = typeof entry === 'object' && entry !== null ? entry : undefined;
    const name = typeof entry === 'string' ? entry : object && 'name' in object ? object.name : undefined;
    const as = typeof entry === 'string' ? entry : ((object && 'as' in object ? object.as : undefined) ?? name);
    if (typeof name === 'string' && typeof as === 'string') imports.set(name.replace(/^@/, ''), as.replace(/^@/, ''));
  }
  return imports;
}

function listSizeOf(directive: ConstDirectiveNode): ListSize {
  const assumedSize = numberOf(argument(directive, 'assumedSize'));
  const requireOne = argument(directive, 'requireOneSlicingArgument');
  return {
    ...(assumedSize !== undefined ? { assumedSize } : {}),
    slicingArguments: stringsOf(argument(directive, 'slicingArguments')),
    sizedFields: stringsOf(argument(directive, 'sizedFields')),
    requireOneSlicingArgument: requireOne !== false,
  };
}

function argument(directive: ConstDirectiveNode, name: string): unknown {
  const node = directive.arguments?.find((candidate: ConstArgumentNode) => candidate.name.value === name);
  return node ? valueFromASTUntyped(node.value) : undefined;
}

/** Apollo's weights are `Int`; the IBM specification's are strings (`"2.5"`). */
function numberOf(value: unknown): number | undefined {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number >= 0 ? number : undefined;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
