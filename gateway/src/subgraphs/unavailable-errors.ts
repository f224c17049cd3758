import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type SelectionSetNode,
} from 'graphql';
import { ErrorCode } from '@pgamr/kit/errors';

export const SUBGRAPH_UNAVAILABLE_MESSAGE =
  'Une partie des données est temporairement indisponible. Veuillez réessayer plus tard.';

/**
 * The errors a subgraph would have answered had it said "unavailable" itself: one per field it
 * was asked for (per entity for an entity fetch), with subgraph-relative paths that the gateway
 * maps onto the client's response, so each error sits on the part that is missing.
 */
export function subgraphUnavailableErrors(
  document: DocumentNode | undefined,
  representationCount: number | undefined,
  retryAfterSeconds?: number,
): GraphQLFormattedError[] {
  const operation = document?.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const unavailable = (path?: Array<string | number>): GraphQLFormattedError => ({
    message: SUBGRAPH_UNAVAILABLE_MESSAGE,
    ...(path ? { path } : {}),
    extensions: { code: ErrorCode.ServiceUnavailable, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) },
  });
  if (!document || !operation) return [unavailable()];
  const fragments = new Map(
    document.definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );
  const rootKeys = responseKeys(operation.selectionSet, fragments);
  if (representationCount === undefined || !rootKeys.includes('_entities')) {
    return rootKeys.map((key) => unavailable([key]));
  }
  const entitiesField = operation.selectionSet.selections.find(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities',
  );
  const entityKeys =
    entitiesField?.kind === Kind.FIELD && entitiesField.selectionSet
      ? responseKeys(entitiesField.selectionSet, fragments)
      : [];
  return Array.from({ length: representationCount }, (_, index) =>
    entityKeys.length > 0 ? entityKeys.map((key) => unavailable(['_entities', index, key])) : [unavailable(['_entities', index])],
  ).flat();
}

/** The response keys a selection set asks for, through fragments, without `__typename`. */
function responseKeys(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): string[] {
  const keys = new Set<string>();
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') keys.add(selection.alias?.value ?? selection.name.value);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      for (const key of responseKeys(selection.selectionSet, fragments)) keys.add(key);
    } else {
      const fragment = fragments.get(selection.name.value);
      if (fragment) for (const key of responseKeys(fragment.selectionSet, fragments)) keys.add(key);
    }
  }
  return [...keys];
}
