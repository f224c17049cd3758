import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  valueFromASTUntyped,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { refusal, RefusalCode } from '../errors';

export interface CostOptions {
  maxCost: number;
  /** The size assumed for a list whose field says nothing of it (no `first`, no default). */
  defaultListSize: number;
  /** The largest page a subgraph serves: the size assumed when `first` comes from a variable. */
  maxListSize: number;
}

/** Arguments by which the portal's lists are paged (see `findPage` in the kit). */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);
/** The federation field through which the gateway fetches entities from a subgraph, one per representation. */
const ENTITIES_FIELD = '_entities';

/** What an estimate reads besides the operation: the schema, the document's fragments and, when known, the request's variables. */
interface CostInputs {
  schema: GraphQLSchema;
  fragment(name: string): FragmentDefinitionNode | undefined;
  /** Unknown (a validation rule, cached per document): `first: $variable` counts as the largest page. */
  variables?: Readonly<Record<string, unknown>>;
}

/**
 * The estimated cost of an operation. Every field costs 1 each time it may be resolved: the
 * fields under a list count once per element, the list's size being its `first` argument (a
 * literal; from a variable, its value when the variables are known, else the largest page),
 * else the argument's default in the schema, else `defaultListSize`. `_entities` counts once per
 * representation sent. Introspection, which is gated elsewhere, is not counted.
 */
export function estimateCost(operation: OperationDefinitionNode, inputs: CostInputs, options: CostOptions): number {
  const rootType = inputs.schema.getRootType(operation.operation) ?? undefined;
  return new CostEstimate(inputs, options).of(operation.selectionSet, rootType, 1, undefined, new Set());
}

const tooComplex = (cost: number, maxCost: number) =>
  refusal(
    RefusalCode.TooComplex,
    `L'opération est trop coûteuse (coût estimé ${cost}; maximum permis ${maxCost}). Demandez moins de champs ou des pages plus petites.`,
    { cost, limit: maxCost },
  );

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`, whatever its variables: the
 * gateway's rule, run once per document (Apollo caches validated documents).
 */
export function costLimitRule(options: CostOptions) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const inputs = { schema: context.getSchema(), fragment: (name: string) => context.getFragment(name) ?? undefined };
      const cost = estimateCost(operation, inputs, options);
      if (cost > options.maxCost) context.reportError(tooComplex(cost, options.maxCost));
    },
  });
}

/**
 * The same limit per request, with the request's variables: a subgraph's. The gateway's query
 * planner sends its entity fetches as `_entities(representations: $representations)`, as many as
 * the parents it found, which only the variables tell; and `first: $first` as the client gave it.
 */
export function costLimitPlugin<TContext extends BaseContext>(options: CostOptions): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, schema, request }) {
          if (!operation) return;
          const fragments = new Map<string, FragmentDefinitionNode>();
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
          }
          const inputs = { schema, fragment: (name: string) => fragments.get(name), variables: request.variables ?? {} };
          const cost = estimateCost(operation, inputs, options);
          if (cost > options.maxCost) throw tooComplex(cost, options.maxCost);
        },
      };
    },
  };
}

class CostEstimate {
  constructor(
    private readonly inputs: CostInputs,
    private readonly options: CostOptions,
  ) {}

  of(
    selectionSet: SelectionSetNode,
    parentType: GraphQLNamedType | undefined,
    multiplier: number,
    pageSize: number | undefined,
    fragmentsOnPath: Set<string>,
  ): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += this.ofField(selection, parentType, multiplier, pageSize, fragmentsOnPath);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const typeName = selection.typeCondition?.name.value;
        const type = typeName ? this.inputs.schema.getType(typeName) : parentType;
        cost += this.of(selection.selectionSet, type, multiplier, pageSize, fragmentsOnPath);
      } else {
        const name = selection.name.value;
        const fragment = this.inputs.fragment(name);
        // A fragment cycle is reported by graphql's own rules; it adds nothing here.
        if (!fragment || fragmentsOnPath.has(name)) continue;
        const type = this.inputs.schema.getType(fragment.typeCondition.name.value);
        cost += this.of(fragment.selectionSet, type, multiplier, pageSize, new Set([...fragmentsOnPath, name]));
      }
    }
    return cost;
  }

  private ofField(
    field: FieldNode,
    parentType: GraphQLNamedType | undefined,
    multiplier: number,
    inheritedPageSize: number | undefined,
    fragmentsOnPath: Set<string>,
  ): number {
    if (INTROSPECTION_FIELDS.has(field.name.value)) return 0;
    const definition =
      parentType && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[field.name.value] : undefined;
    if (!field.selectionSet) return multiplier;
    const ownPageSize = definition ? (this.entityCount(field) ?? this.pageSize(field, definition)) : undefined;
    const returnsList = definition ? isListType(getNullableType(definition.type)) : false;
    const elements = returnsList ? (ownPageSize ?? inheritedPageSize ?? this.options.defaultListSize) : 1;
    const type = definition ? getNamedType(definition.type) : undefined;
    // A connection's `first` sizes the list of nodes beneath it, not the connection itself.
    const pageSizeBelow = returnsList ? undefined : ownPageSize;
    const childType = type && isCompositeType(type) ? type : undefined;
    return multiplier + this.of(field.selectionSet, childType, multiplier * elements, pageSizeBelow, fragmentsOnPath);
  }

  private pageSize(field: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
    for (const name of PAGE_SIZE_ARGUMENTS) {
      const argument = definition.args.find((arg) => arg.name === name);
      if (!argument) continue;
      const given = field.arguments?.find((arg) => arg.name.value === name)?.value;
      const size = (given ? this.valueOf(given) : undefined) ?? argument.defaultValue;
      if (typeof size === 'number') return Math.max(0, Math.min(size, this.options.maxListSize));
      if (given) return this.options.maxListSize;
    }
    return undefined;
  }

  /** `_entities`: one element per representation, however many (the gateway's batches are not pages). */
  private entityCount(field: FieldNode): number | undefined {
    if (field.name.value !== ENTITIES_FIELD) return undefined;
    const given = field.arguments?.find((arg) => arg.name.value === 'representations')?.value;
    const representations = given ? this.valueOf(given) : undefined;
    return Array.isArray(representations) ? representations.length : this.options.maxListSize;
  }

  private valueOf(value: ValueNode): unknown {
    // Without the variables, a variable's default only applies when the client leaves it out:
    // assume the largest page.
    if (value.kind !== Kind.VARIABLE) return valueFromASTUntyped(value);
    const { variables } = this.inputs;
    return variables ? (variables[value.name.value] ?? undefined) : this.options.maxListSize;
  }
}
