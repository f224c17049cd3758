import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLError,
  isAbstractType,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  valueFromASTUntyped,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
  type VariableDefinitionNode,
} from 'graphql';
import { refusal, RefusalCode } from '../errors';
import { CostDirectives, type ListSize } from './cost-directives';

export interface CostOptions {
  maxCost: number;
  /** The size assumed for a list whose field says nothing of it (no `@listSize`, no slicing argument, no default). */
  defaultListSize: number;
  /** The largest page a subgraph serves: the size assumed when a slicing argument comes from a variable. */
  maxListSize: number;
}

/**
 * Without `@listSize`, a field with these arguments is sized by them as the kit's pages are
 * (`findPage`): the list it returns, or the lists of the connection it returns. A subgraph that
 * does not annotate its connections is then not counted one default-sized page each.
 */
const PAGE_SIZE_ARGUMENTS = ['first', 'last'];
const INTROSPECTION_FIELDS = new Set(['__schema', '__type', '__typename']);
/** The federation field through which the gateway fetches entities from a subgraph, one per representation. */
const ENTITIES_FIELD = '_entities';
/** A variable whose value the estimate cannot know: the gateway's rule runs once per document, without them. */
const UNKNOWN = Symbol('unknown variable');

/** What an estimate reads besides the operation: the schema, the document's fragments and, when known, the request's variables. */
interface CostInputs {
  schema: GraphQLSchema;
  fragment(name: string): FragmentDefinitionNode | undefined;
  /** Unknown (a validation rule, cached per document): a slicing argument from a variable counts as the largest page. */
  variables?: Readonly<Record<string, unknown>>;
  /**
   * Refuse a field that requires one slicing argument and gets none or several: the gateway's
   * rule. Not a subgraph's: composition keeps `requireOneSlicingArgument` only when every subgraph
   * asks for it, and a subgraph never refuses what its gateway accepted (see SUBGRAPH_LIMITS).
   */
  requireSlicingArguments?: boolean;
}

const directivesBySchema = new WeakMap<GraphQLSchema, CostDirectives>();

/** The `@cost` and `@listSize` an estimate on `schema` reads: given by `assignCostDirectives`, else read once from the schema's SDL. */
export function costDirectivesOf(schema: GraphQLSchema): CostDirectives {
  let directives = directivesBySchema.get(schema);
  if (!directives) directivesBySchema.set(schema, (directives = CostDirectives.fromSchema(schema)));
  return directives;
}

/**
 * The directives to read for `schema` when it no longer holds them: the gateway's API schema
 * drops every directive application of its supergraph, so the gateway reads them from the
 * supergraph's text on each load and hands them here before the schema serves.
 */
export function assignCostDirectives(schema: GraphQLSchema, directives: CostDirectives): void {
  directivesBySchema.set(schema, directives);
}

/**
 * The estimated cost of an operation, as the IBM GraphQL Cost Directive specification counts it
 * (and Apollo Router, Hive Gateway): each object, interface or union a field may return costs 1,
 * a scalar or an enum 0, unless `@cost(weight:)` on the field or its type says otherwise; a list
 * counts each element; arguments add the weights of those given. A list's size is, in order:
 * the number of representations (`_entities`), the size its parent connection's `@listSize(sizedFields:)`
 * hands down, its `@listSize` (the largest slicing argument given or defaulted, at most the
 * largest page; else `assumedSize`), else `defaultListSize`. Fragments on different object types
 * under an interface or a union exclude each other: the most costly counts, not their sum.
 * Introspection, gated elsewhere, is free. With `requireSlicingArguments`, throws the refusal
 * when a field requires one slicing argument and does not get exactly one.
 */
export function estimateCost(operation: OperationDefinitionNode, inputs: CostInputs, options: CostOptions): number {
  const rootType = inputs.schema.getRootType(operation.operation);
  if (!rootType) return 0;
  const estimate = new CostEstimate(inputs, costDirectivesOf(inputs.schema), options, operation.variableDefinitions ?? []);
  return estimate.ofSelections(operation.selectionSet, rootType, undefined, new Set());
}

const tooComplex = (cost: number, maxCost: number) =>
  refusal(
    RefusalCode.TooComplex,
    `L'opération est trop coûteuse (coût estimé ${cost}; maximum permis ${maxCost}). Demandez moins de champs ou des pages plus petites.`,
    { cost, limit: maxCost },
  );

const unsized = (coordinate: string, slicingArguments: string[]) =>
  refusal(
    RefusalCode.TooComplex,
    `Le coût de l'opération ne peut être estimé : le champ ${coordinate} exige exactement un des arguments ${slicingArguments.join(', ')}.`,
  );

/** The refusal of an operation that costs more than `maxCost` or cannot be sized, if it must be refused. */
function costRefusal(operation: OperationDefinitionNode, inputs: CostInputs, options: CostOptions): GraphQLError | undefined {
  try {
    const cost = estimateCost(operation, inputs, options);
    return cost > options.maxCost ? tooComplex(cost, options.maxCost) : undefined;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
}

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`, whatever its variables: the
 * gateway's rule, run once per document (Apollo caches validated documents).
 */
export function costLimitRule(options: CostOptions) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const inputs = { schema: context.getSchema(), fragment: (name: string) => context.getFragment(name) ?? undefined, requireSlicingArguments: true };
      const error = costRefusal(operation, inputs, options);
      if (error) context.reportError(error);
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
          const error = costRefusal(operation, inputs, options);
          if (error) throw error;
        },
      };
    },
  };
}

/** The size a connection hands down to the lists it names (`@listSize(sizedFields:)`). */
interface SizedFields {
  names: ReadonlySet<string>;
  size: number;
}

class CostEstimate {
  constructor(
    private readonly inputs: CostInputs,
    private readonly directives: CostDirectives,
    private readonly options: CostOptions,
    private readonly variableDefinitions: readonly VariableDefinitionNode[],
  ) {}

  /** The cost of a selection set, for one object of `parentType`. */
  ofSelections(
    selectionSet: SelectionSetNode,
    parentType: GraphQLCompositeType,
    sized: SizedFields | undefined,
    fragmentsOnPath: ReadonlySet<string>,
  ): number {
    let cost = 0;
    // Under an interface or a union, one object answers: of the fragments on object types, only
    // those on its own type apply.
    const byObjectType = new Map<string, number>();
    for (const selection of selectionSet.selections) {
      if (this.isSkipped(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const sizeFromParent = sized?.names.has(selection.name.value) ? sized.size : undefined;
        cost += this.ofField(selection, parentType, sizeFromParent, fragmentsOnPath);
        continue;
      }
      const fragment = this.fragmentOf(selection, parentType, fragmentsOnPath);
      if (!fragment) continue;
      const fragmentCost = this.ofSelections(fragment.selectionSet, fragment.type, sized, fragment.path);
      if (isAbstractType(parentType) && isObjectType(fragment.type)) {
        byObjectType.set(fragment.type.name, (byObjectType.get(fragment.type.name) ?? 0) + fragmentCost);
      } else {
        cost += fragmentCost;
      }
    }
    return cost + Math.max(0, ...byObjectType.values());
  }

  private fragmentOf(selection: InlineFragmentNode | FragmentSpreadNode, parentType: GraphQLCompositeType, fragmentsOnPath: ReadonlySet<string>) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? this.inputs.schema.getType(selection.typeCondition.name.value) : parentType;
      return isCompositeType(type) ? { type, selectionSet: selection.selectionSet, path: fragmentsOnPath } : undefined;
    }
    const name = selection.name.value;
    const fragment = this.inputs.fragment(name);
    // A fragment cycle is reported by graphql's own rules; it adds nothing here.
    if (!fragment || fragmentsOnPath.has(name)) return undefined;
    const type = this.inputs.schema.getType(fragment.typeCondition.name.value);
    return isCompositeType(type) ? { type, selectionSet: fragment.selectionSet, path: new Set([...fragmentsOnPath, name]) } : undefined;
  }

  /** A field's cost for one object of its parent: its arguments, then each element it may return, with what is selected below. */
  private ofField(field: FieldNode, parentType: GraphQLCompositeType, sizeFromParent: number | undefined, fragmentsOnPath: ReadonlySet<string>): number {
    if (INTROSPECTION_FIELDS.has(field.name.value)) return 0;
    const definition = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields()[field.name.value] : undefined;
    // An unknown field is graphql's validation error to report.
    if (!definition) return 0;
    const coordinate = `${parentType.name}.${definition.name}`;
    const type = getNamedType(definition.type);
    const weight = this.directives.weights.get(coordinate) ?? this.directives.weights.get(type.name) ?? (isCompositeType(type) ? 1 : 0);
    const returnsList = isListType(getNullableType(definition.type));
    const listSize = this.directives.listSizes.get(coordinate) ?? implicitListSize(definition, returnsList);
    const slicedSize = listSize ? this.slicedSize(field, definition, listSize, coordinate) : undefined;
    const handsDown = listSize !== undefined && listSize.sizedFields.length > 0;

    let elements = 1;
    if (returnsList) {
      const ownSize = handsDown ? listSize.assumedSize : (slicedSize ?? listSize?.assumedSize);
      elements = this.entityCount(field) ?? sizeFromParent ?? ownSize ?? this.options.defaultListSize;
    }
    const sized = handsDown ? { names: new Set(listSize.sizedFields), size: slicedSize ?? listSize.assumedSize ?? this.options.defaultListSize } : undefined;
    const below = field.selectionSet && isCompositeType(type) ? this.ofSelections(field.selectionSet, type, sized, fragmentsOnPath) : 0;
    return this.ofArguments(field, definition, coordinate) + elements * (weight + below);
  }

  /**
   * The largest of the slicing arguments given or defaulted, at most the largest page; from a
   * variable whose value is unknown, the largest page.
   */
  private slicedSize(field: FieldNode, definition: GraphQLField<unknown, unknown>, listSize: ListSize, coordinate: string): number | undefined {
    const sizes: number[] = [];
    for (const name of listSize.slicingArguments) {
      const argument = definition.args.find((candidate) => candidate.name === name);
      if (!argument) continue;
      const given = field.arguments?.find((candidate) => candidate.name.value === name)?.value;
      // As graphql-js does: the schema's default for an argument left out, or given a variable left out.
      const givenValue = given ? this.valueOf(given) : undefined;
      const value = givenValue === undefined ? argument.defaultValue : givenValue;
      if (value === UNKNOWN) sizes.push(this.options.maxListSize);
      else if (typeof value === 'number') sizes.push(Math.max(0, Math.min(value, this.options.maxListSize)));
    }
    if (this.inputs.requireSlicingArguments && listSize.requireOneSlicingArgument && listSize.slicingArguments.length > 0 && sizes.length !== 1) {
      throw unsized(coordinate, listSize.slicingArguments);
    }
    return sizes.length > 0 ? Math.max(...sizes) : undefined;
  }

  /** `_entities`: one element per representation, however many (the gateway's batches are not pages). */
  private entityCount(field: FieldNode): number | undefined {
    if (field.name.value !== ENTITIES_FIELD) return undefined;
    const given = field.arguments?.find((arg) => arg.name.value === 'representations')?.value;
    const representations = given ? this.valueOf(given) : undefined;
    return Array.isArray(representations) ? representations.length : this.options.maxListSize;
  }

  /** The weights of the arguments given (`@cost` on an argument or an input field), through input objects and lists. */
  private ofArguments(field: FieldNode, definition: GraphQLField<unknown, unknown>, coordinate: string): number {
    let cost = 0;
    for (const given of field.arguments ?? []) {
      const argument = definition.args.find((candidate) => candidate.name === given.name.value);
      if (!argument) continue;
      cost += this.directives.weights.get(`${coordinate}(${argument.name}:)`) ?? 0;
      const value = this.valueOf(given.value);
      if (value !== UNKNOWN) cost += this.ofInput(argument.type, value);
    }
    return cost;
  }

  private ofInput(type: GraphQLInputType, value: unknown): number {
    const nullable = getNullableType(type);
    if (value === null || value === undefined) return 0;
    if (isListType(nullable)) {
      return Array.isArray(value) ? value.reduce((sum: number, item: unknown) => sum + this.ofInput(nullable.ofType, item), 0) : this.ofInput(nullable.ofType, value);
    }
    if (!isInputObjectType(nullable) || typeof value !== 'object') return 0;
    let cost = 0;
    for (const [name, fieldValue] of Object.entries(value as Record<string, unknown>)) {
      const inputField = nullable.getFields()[name];
      if (!inputField || fieldValue === undefined) continue;
      cost += (this.directives.weights.get(`${nullable.name}.${name}`) ?? 0) + this.ofInput(inputField.type, fieldValue);
    }
    return cost;
  }

  /** `@skip(if: true)` or `@include(if: false)`, literal or from a known variable: never resolved. */
  private isSkipped(selection: FieldNode | InlineFragmentNode | FragmentSpreadNode): boolean {
    for (const directive of selection.directives ?? []) {
      if (directive.name.value !== 'skip' && directive.name.value !== 'include') continue;
      const condition = directive.arguments?.find((argument) => argument.name.value === 'if')?.value;
      const value = condition ? this.valueOf(condition) : UNKNOWN;
      if (value === (directive.name.value === 'skip')) return true;
    }
    return false;
  }

  /** A value with the request's variables when they are known; a variable they leave out takes its default in the operation. */
  private valueOf(value: ValueNode): unknown {
    const { variables } = this.inputs;
    if (!variables) return containsVariable(value) ? UNKNOWN : valueFromASTUntyped(value);
    return valueFromASTUntyped(value, { ...this.variableDefaults(), ...variables });
  }

  private defaults?: Record<string, unknown>;

  private variableDefaults(): Record<string, unknown> {
    this.defaults ??= Object.fromEntries(
      this.variableDefinitions.flatMap((definition) => (definition.defaultValue ? [[definition.variable.name.value, valueFromASTUntyped(definition.defaultValue)]] : [])),
    );
    return this.defaults;
  }
}

function containsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(containsVariable);
    case Kind.OBJECT:
      return value.fields.some((field) => containsVariable(field.value));
    default:
      return false;
  }
}

/** The kit's convention, for a field without `@listSize` that takes `first` or `last`: see PAGE_SIZE_ARGUMENTS. */
function implicitListSize(definition: GraphQLField<unknown, unknown>, returnsList: boolean): ListSize | undefined {
  const slicingArguments = definition.args.filter((argument) => PAGE_SIZE_ARGUMENTS.includes(argument.name)).map((argument) => argument.name);
  if (slicingArguments.length === 0) return undefined;
  const type = getNamedType(definition.type);
  const lists = !returnsList && (isObjectType(type) || isInterfaceType(type))
    ? Object.values(type.getFields()).filter((field) => isListType(getNullableType(field.type))).map((field) => field.name)
    : [];
  return { slicingArguments, sizedFields: lists, requireOneSlicingArgument: false };
}
