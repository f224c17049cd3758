import type { Authentication } from '@pgamr/kit/auth';
import { ErrorCode, RequestErrorCode } from '@pgamr/kit/errors';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  OperationTypeNode,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type ParseOptions,
  type GraphQLSchema,
  type ValidationRule,
  type VariableDefinitionNode,
} from 'graphql';

/** The root fields of `Subscription` the gateway streams itself; any other is refused. */
export const LIVE_FIELDS: ReadonlySet<string> = new Set(['notifications']);

/** What a client sends to open a stream (GraphQL over HTTP's parameters). */
export interface LiveRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

/**
 * A subscription ready to stream: for each notification, the query the gateway runs through its
 * normal pipeline, whose answer has the subscription's shape (the same response key, the same
 * selection), with the notification's id in `idVariable`.
 */
export interface LiveOperation {
  field: 'notifications';
  query: string;
  operationName: string;
  variables: Record<string, unknown>;
  idVariable: string;
}

/** How the gateway refuses operations, whichever the transport. */
export interface LiveOperationChecks {
  schema: () => GraphQLSchema | undefined;
  parseOptions: ParseOptions;
  validationRules: readonly ValidationRule[];
  /** The schema's @authenticated and @policy for this caller (SchemaAuthorization.refusalOf). */
  refusalOf: (schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, auth: Authentication) => GraphQLError | undefined;
  /** Whether graphql-js's « Did you mean … » may stay in this caller's messages (the introspection policy). */
  maySeeSchema: (auth: Authentication) => boolean;
}

const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const QUERY_NAME = 'LiveNotification';

/**
 * Parses and validates a subscription against the API schema with the gateway's limits and its
 * authorization, as Apollo Server does for a query (which it cannot do for a subscription: the
 * federated executor has none). Answers the errors to send, or the operation to stream.
 */
export function prepareLiveOperation(request: LiveRequest, auth: Authentication, checks: LiveOperationChecks): LiveOperation | { errors: GraphQLError[] } {
  const schema = checks.schema();
  if (!schema) return { errors: [new GraphQLError("Le schéma de l'API n'est pas encore chargé.", { extensions: { code: ErrorCode.ServiceUnavailable } })] };
  if (typeof request.query !== 'string' || request.query.trim() === '') {
    return { errors: [badRequest("Le paramètre « query » doit contenir le texte de l'abonnement.")] };
  }
  if (request.operationName !== undefined && request.operationName !== null && typeof request.operationName !== 'string') {
    return { errors: [badRequest('Le paramètre « operationName » doit être une chaîne.')] };
  }
  const inputs = request.variables ?? {};
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
    return { errors: [badRequest('Le paramètre « variables » doit être un objet.')] };
  }
  let document: DocumentNode;
  try {
    document = parse(request.query, checks.parseOptions);
  } catch (error) {
    const coded = error instanceof GraphQLError && typeof error.extensions.code === 'string';
    return { errors: [coded ? error : new GraphQLError("Le texte de l'opération n'est pas du GraphQL valide.", { extensions: { code: RequestErrorCode.ParseFailed } })] };
  }
  const validationErrors = validate(schema, document, [...specifiedRules, ...checks.validationRules]);
  if (validationErrors.length > 0) {
    const suggestions = checks.maySeeSchema(auth);
    return { errors: validationErrors.map((error) => validationFailed(error, suggestions)) };
  }
  const operation = getOperationAST(document, request.operationName ?? undefined);
  if (!operation) return { errors: [badRequest("L'opération à exécuter n'est pas désignée sans ambiguïté par « operationName ».")] };
  if (operation.operation !== OperationTypeNode.SUBSCRIPTION) {
    return { errors: [badRequest('Seuls les abonnements (subscription) sont servis ici ; envoyez les requêtes et les mutations à POST /graphql.')] };
  }
  // The validation rules allow one root field; it must be a field the gateway streams, not a fragment of one.
  const [root] = operation.selectionSet.selections;
  if (operation.selectionSet.selections.length !== 1 || root?.kind !== Kind.FIELD || !LIVE_FIELDS.has(root.name.value)) {
    return { errors: [badRequest(`Seuls ces champs d'abonnement sont servis, sélectionnés directement : ${[...LIVE_FIELDS].join(', ')}.`)] };
  }
  const refusal = checks.refusalOf(schema, document, operation, auth);
  if (refusal) return { errors: [refusal] };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], inputs as Record<string, unknown>, { maxErrors: 10 });
  if (coerced.errors) return { errors: coerced.errors.map((error) => new GraphQLError(error.message, { extensions: { code: ErrorCode.BadUserInput } })) };
  return deriveQuery(document, operation, root, inputs as Record<string, unknown>);
}

/**
 * `query LiveNotification(<the subscription's variables>, $id: ID!) { <key>: notification(id: $id) { <selection> } }`,
 * with the fragments the selection uses: its answer is the subscription's event as it is.
 */
function deriveQuery(document: DocumentNode, operation: OperationDefinitionNode, root: FieldNode, variables: Record<string, unknown>): LiveOperation {
  const taken = new Set((operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value));
  let idVariable = 'notificationId';
  for (let suffix = 1; taken.has(idVariable); suffix += 1) idVariable = `notificationId${suffix}`;
  const idDefinition: VariableDefinitionNode = {
    kind: Kind.VARIABLE_DEFINITION,
    variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } },
    type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
  };
  const field: FieldNode = {
    ...root,
    alias: { kind: Kind.NAME, value: root.alias?.value ?? root.name.value },
    name: { kind: Kind.NAME, value: 'notification' },
    arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'id' }, value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: idVariable } } }],
  };
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    name: { kind: Kind.NAME, value: QUERY_NAME },
    variableDefinitions: [...(operation.variableDefinitions ?? []), idDefinition],
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [field] },
  };
  const fragments = usedFragments(document, field);
  return {
    field: 'notifications',
    query: print({ kind: Kind.DOCUMENT, definitions: [query, ...fragments] }),
    operationName: QUERY_NAME,
    variables,
    idVariable,
  };
}

/** The fragments `field` spreads, directly or through other fragments (the others would fail validation). */
function usedFragments(document: DocumentNode, field: FieldNode): FragmentDefinitionNode[] {
  const byName = new Map(
    document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION).map((fragment) => [fragment.name.value, fragment]),
  );
  const used = new Set<string>();
  const walk = (node: FieldNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = byName.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        walk(fragment);
      },
    });
  walk(field);
  return [...used].map((name) => byName.get(name)!);
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: RequestErrorCode.BadRequest } });
}

/** As Apollo Server reports validation: the rule's own refusal code (limits), else GRAPHQL_VALIDATION_FAILED. */
function validationFailed(error: GraphQLError, suggestions: boolean): GraphQLError {
  const message = suggestions ? error.message : error.message.replace(SUGGESTION, '');
  const code = typeof error.extensions.code === 'string' ? error.extensions.code : RequestErrorCode.ValidationFailed;
  return new GraphQLError(message, { nodes: error.nodes ?? null, extensions: { ...error.extensions, code } });
}
