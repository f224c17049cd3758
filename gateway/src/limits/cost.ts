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
  type GraphQLField,
  type GraphQLNamedType,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { refusal, RefusalCode } from './refusals';

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

/**
 * Refuses an operation whose estimated cost exceeds `maxCost`. Every field costs 1 each time
 * it may be resolved: the fields under a list count once per element, the list's size being its
 * `first` argument (a literal, or the largest page when it comes from a variable, since the
 * estimate must hold for any variables), else the argument's default in the schema, else
 * `defaultListSize`. Introspection, which is gated elsewhere, is not counted.
 */
export function costLimitRule(options: CostOptions) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const rootType = context.getSchema().getRootType(operation.operation) ?? undefined;
      const cost = new CostEstimate(context, options).of(operation.selectionSet, rootType, 1, undefined, new Set());
      if (cost > options.maxCost) {
        context.reportError(
          refusal(
            RefusalCode.TooComplex,
            `L'opération est trop coûteuse (coût estimé ${cost}; maximum permis ${options.maxCost}). Demandez moins de champs ou des pages plus petites.`,
            { cost, limit: options.maxCost },
          ),
        );
      }
    },
  });
}

class CostEstimate {
  constructor(
    private readonly context: ValidationContext,
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
        const type = typeName ? this.context.getSchema().getType(typeName) : parentType;
        cost += this.of(selection.selectionSet, type, multiplier, pageSize, fragmentsOnPath);
      } else {
        const name = selection.name.value;
        const fragment = this.context.getFragment(name);
        // A fragment cycle is reported by graphql's own rules; it adds nothing here.
        if (!fragment || fragmentsOnPath.has(name)) continue;
        const type = this.context.getSchema().getType(fragment.typeCondition.name.value);
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
    const ownPageSize = definition ? this.pageSize(field, definition) : undefined;
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
      const size = given ? this.sizeOf(given) : argument.defaultValue;
      if (typeof size === 'number') return Math.max(0, Math.min(size, this.options.maxListSize));
      if (given) return this.options.maxListSize;
    }
    return undefined;
  }

  private sizeOf(value: ValueNode): unknown {
    // A variable's default only applies when the client leaves it out: assume the largest page.
    return value.kind === Kind.VARIABLE ? this.options.maxListSize : valueFromASTUntyped(value);
  }
}
