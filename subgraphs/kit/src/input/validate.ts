import {
  BREAK,
  coerceInputValue,
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isInputObjectType,
  isListType,
  isUnionType,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  typeFromAST,
  GraphQLError,
  isInputType,
  type GraphQLSchema,
} from 'graphql';
import { ErrorCode } from '../errors';
import { KIT_SCALARS } from '../scalars';
import { ID_MAX_LENGTH, type TextRules } from './constraints';
import { textProblem, type TextRule } from './text';

/** The first input a request may not send: the argument path (`input.title`) and why, in French. */
export interface InputProblem {
  field: string;
  message: string;
}

const ENTITIES_FIELD = '_entities';
const ENTITY_KEY: TextRule = { maxLength: ID_MAX_LENGTH, multiline: false };

/**
 * Walks the argument values of every field an operation selects, as the executor will see them
 * (variables coerced, defaults applied, nested input objects and lists included), and returns the
 * first text that breaks its rule, or the first `_entities` representation this subgraph does not
 * know. A variable one of the kit's scalars refuses (Money, Date, EmailAddress…: API v1) is a
 * problem too, on the argument path where the variable goes. Undefined when all is well, or when
 * the variables do not coerce for another reason: the executor refuses those itself, with
 * graphql-js's error (the gateway, which knows the standard types, refuses them first).
 */
export function findInputProblem(
  rules: TextRules,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): InputProblem | undefined {
  const { schema } = rules;
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 1 });
  if (coerced.errors) return scalarProblem(schema, document, operation, variables);
  return firstArgumentProblem(schema, document, operation, coerced.coerced, (definition, values, parentType) => {
    for (const arg of definition.args) {
      const problem = valueProblem(rules, values[arg.name], arg.type, arg, arg.name);
      if (problem) return problem;
    }
    return definition.name === ENTITIES_FIELD && parentType === schema.getQueryType() ? representationsProblem(rules, values.representations) : undefined;
  });
}

/**
 * Walks the fields an operation selects (its fragments included) and returns the first problem
 * `check` finds in a field's argument values, computed with `variables`.
 */
function firstArgumentProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
  check: (definition: GraphQLField<unknown, unknown>, values: Record<string, unknown>, parentType: unknown) => InputProblem | undefined,
): InputProblem | undefined {
  const typeInfo = new TypeInfo(schema);
  let problem: InputProblem | undefined;
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const definition = typeInfo.getFieldDef();
      if (!definition || definition.args.length === 0) return undefined;
      let values: Record<string, unknown>;
      try {
        values = getArgumentValues(definition, node, variables);
      } catch {
        return undefined;
      }
      problem = check(definition, values, typeInfo.getParentType());
      return problem ? BREAK : undefined;
    },
  });
  for (const definition of [operation, ...fragmentsUsedBy(document, operation)]) {
    visit(definition, visitor);
    if (problem) return problem;
  }
  return undefined;
}

function valueProblem(
  rules: TextRules,
  value: unknown,
  type: GraphQLInputType,
  element: GraphQLArgument | GraphQLInputField,
  path: string,
): InputProblem | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return valueProblem(rules, value, nullable.ofType, element, path);
    for (const [index, item] of value.entries()) {
      const problem = valueProblem(rules, item, nullable.ofType, element, `${path}.${index}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    // Anything but an object has none of the fields, hence no problem.
    if (typeof value !== 'object') return undefined;
    const object = ownFields(value);
    for (const field of Object.values(nullable.getFields())) {
      const problem = valueProblem(rules, object.get(field.name), field.type, field, `${path}.${field.name}`);
      if (problem) return problem;
    }
    return undefined;
  }
  // String and ID coerce to strings; any other scalar is not text.
  if ((nullable.name !== 'String' && nullable.name !== 'ID') || typeof value !== 'string') return undefined;
  const message = textProblem(value, rules.of(element), path);
  return message ? { field: path, message } : undefined;
}

/**
 * For the gateway: the first argument value of an operation that one of the kit's typed scalars
 * (DateTime, Date, Money, EmailAddress, PhoneNumber, JSONObject) refuses, in a variable or
 * written in the document, with its argument path (`input.from`). The gateway's schema knows
 * these scalars by name only and would pass any value on; the subgraph would then refuse the
 * whole request (HTTP 400), which the gateway can only take for an outage. Undefined when all is
 * well.
 */
export function findScalarProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): InputProblem | undefined {
  return scalarProblemIn(fieldsTakingKitScalars(schema, document, operation), variables);
}

/** A selected field one of whose arguments can hold a kit scalar, with its definition. */
export interface FieldTakingKitScalars {
  definition: GraphQLField<unknown, unknown>;
  node: FieldNode;
}

/**
 * The selected fields (the operation's, then its fragments', in the order findScalarProblem
 * walks them) one of whose arguments can hold a kit scalar, in a list or an input object at any
 * depth: the only ones where it can find a problem. It depends on the operation and the schema
 * alone, so the gateway computes it once per parsed operation.
 */
export function fieldsTakingKitScalars(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): FieldTakingKitScalars[] {
  const typeInfo = new TypeInfo(schema);
  const fields: FieldTakingKitScalars[] = [];
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const definition = typeInfo.getFieldDef();
      if (definition && definition.args.some((arg) => holdsKitScalar(arg.type, new Set()))) fields.push({ definition, node });
    },
  });
  for (const definition of [operation, ...fragmentsUsedBy(document, operation)]) visit(definition, visitor);
  return fields;
}

/** The first kit scalar problem among `fields`' argument values, computed with the variables as sent. */
export function scalarProblemIn(fields: readonly FieldTakingKitScalars[], variables: Readonly<Record<string, unknown>>): InputProblem | undefined {
  for (const { definition, node } of fields) {
    let values: Record<string, unknown>;
    try {
      values = getArgumentValues(definition, node, variables);
    } catch {
      continue;
    }
    for (const arg of definition.args) {
      const problem = kitScalarProblem(values[arg.name], arg.type, arg.name);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Whether a value of this input type can hold a kit scalar (input objects seen once: they may recurse). */
function holdsKitScalar(type: GraphQLInputType, seen: Set<string>): boolean {
  const named = getNamedType(type);
  if (KIT_SCALARS.has(named.name)) return true;
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => holdsKitScalar(field.type, seen));
}

function kitScalarProblem(value: unknown, type: GraphQLInputType, path: string): InputProblem | undefined {
  if (value === null || value === undefined) return undefined;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    if (!Array.isArray(value)) return kitScalarProblem(value, nullable.ofType, path);
    for (const [index, item] of value.entries()) {
      const problem = kitScalarProblem(item, nullable.ofType, `${path}.${index}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if (isInputObjectType(nullable)) {
    if (typeof value !== 'object') return undefined;
    const object = ownFields(value);
    for (const field of Object.values(nullable.getFields())) {
      const problem = kitScalarProblem(object.get(field.name), field.type, `${path}.${field.name}`);
      if (problem) return problem;
    }
    return undefined;
  }
  const scalar = KIT_SCALARS.get(nullable.name);
  if (!scalar) return undefined;
  try {
    scalar.parseValue(value);
    return undefined;
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'valeur invalide.';
    return { field: path, message: `Le champ « ${path} » est invalide. ${reason}` };
  }
}

/** An input object's fields by name, as JSON variables and graphql-js's coerced values hold them (own properties). */
function ownFields(object: object): ReadonlyMap<string, unknown> {
  return new Map(Object.entries(object));
}

/**
 * The gateway sends `_entities` representations of this subgraph's entity types, keyed as their
 * `@key` says; anything else comes from elsewhere and would fail deep in `@apollo/subgraph` as
 * an internal error. The type named is not repeated in the message: it is the caller's input.
 */
function representationsProblem(rules: TextRules, representations: unknown): InputProblem | undefined {
  if (!Array.isArray(representations)) return undefined;
  const entityUnion = rules.schema.getType('_Entity');
  const entities = new Map((isUnionType(entityUnion) ? entityUnion.getTypes() : []).map((type) => [type.name, type]));
  const list: readonly unknown[] = representations;
  for (const [index, representation] of list.entries()) {
    const path = `representations.${index}`;
    if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
      return { field: path, message: `La représentation d'entité « ${path} » doit être un objet avec __typename et sa clé.` };
    }
    const fields = ownFields(representation);
    const typename = fields.get('__typename');
    const type = typeof typename === 'string' ? entities.get(typename) : undefined;
    if (!type) {
      return { field: `${path}.__typename`, message: `La représentation d'entité « ${path} » nomme un type que ce service ne résout pas.` };
    }
    const keys = flatKeysOf(type);
    const key = keys.find((names) => names.every((name) => isKeyValue(fields.get(name))));
    if (keys.length > 0 && !key) {
      return { field: path, message: `La représentation d'entité « ${path} » n'a pas la clé de son type (${keys.map((names) => names.join(' ')).join(' ou ')}).` };
    }
    for (const name of key ?? []) {
      const message = textProblem(String(fields.get(name)), ENTITY_KEY, `${path}.${name}`);
      if (message) return { field: `${path}.${name}`, message };
    }
  }
  return undefined;
}

/**
 * The first variable value a kit scalar refuses (its parser throws BAD_USER_INPUT with a French
 * reason), named by the argument path it goes to: `input.startsOn` for `grantMandate(input:
 * $input)` and `{ "input": { "startsOn": "2026-02-30" } }`. Answered like any bad input (HTTP 200,
 * `field`), where graphql-js would refuse the variables with HTTP 400, which the gateway takes for
 * an outage of the subgraph.
 */
function scalarProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): InputProblem | undefined {
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    if (!type || !isInputType(type) || variables[name] === undefined) continue;
    let refusal: { path: ReadonlyArray<string | number>; message: string } | undefined;
    coerceInputValue(variables[name], type, (path, _value, error) => {
      if (!refusal && error instanceof GraphQLError && error.extensions.code === ErrorCode.BadUserInput) refusal = { path, message: error.message };
    });
    if (refusal) {
      const field = [...(variableUsage(document, operation, name) ?? [name]), ...refusal.path].join('.');
      return { field, message: `Le champ « ${field} » est invalide. ${refusal.message}` };
    }
  }
  return undefined;
}

/** Where a variable goes in the operation: the argument and input fields around its first use. */
function variableUsage(document: DocumentNode, operation: OperationDefinitionNode, name: string): string[] | undefined {
  let usage: string[] | undefined;
  for (const definition of [operation, ...fragmentsUsedBy(document, operation)]) {
    visit(definition, {
      Variable(node, _key, parent, _path, ancestors) {
        if (usage || node.name.value !== name) return undefined;
        // graphql-js gives the parent apart from the ancestors above it.
        const names = [...ancestors, parent].flatMap((ancestor) =>
          ancestor && 'kind' in ancestor && (ancestor.kind === Kind.ARGUMENT || ancestor.kind === Kind.OBJECT_FIELD) ? [ancestor.name.value] : [],
        );
        // A variable in a variable definition (its default) is not a use.
        if (names.length > 0) usage = names;
        return usage ? BREAK : undefined;
      },
    });
    if (usage) return usage;
  }
  return undefined;
}

const isKeyValue = (value: unknown): boolean => typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));

/** The field sets of a type's `@key`s, when they are flat (`"id"`, `"code year"`); nested ones are not checked. */
function flatKeysOf(type: GraphQLObjectType): string[][] {
  const keys: string[][] = [];
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    for (const directive of node?.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((arg) => arg.name.value === 'fields')?.value;
      if (fields?.kind !== Kind.STRING || /[{}]/.test(fields.value)) continue;
      keys.push(fields.value.trim().split(/[\s,]+/));
    }
  }
  return keys;
}

/** The fragments an operation spreads, directly or through other fragments. */
function fragmentsUsedBy(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const used = new Map<string, FragmentDefinitionNode>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          collect(fragment.selectionSet);
        }
      } else if (selection.selectionSet) {
        collect(selection.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return [...used.values()];
}
