import { Kind, OperationTypeNode, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

const SIGN_IN_FIELD = 'signIn';

/**
 * Whether the operation Apollo is about to run calls the `signIn` mutation, whatever it is
 * called under (aliases, fragments, inline fragments). Asked of the resolved document, so that
 * a sign-in sent as a persisted query hash or a trusted document id counts as one too.
 */
export function callsSignIn(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== OperationTypeNode.MUTATION) return false;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return selectsSignIn(operation.selectionSet, fragments, new Set());
}

function selectsSignIn(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen: Set<string>): boolean {
  return selectionSet.selections.some((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return selection.name.value === SIGN_IN_FIELD;
      case Kind.INLINE_FRAGMENT:
        return selectsSignIn(selection.selectionSet, fragments, seen);
      case Kind.FRAGMENT_SPREAD: {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) return false;
        seen.add(name);
        return selectsSignIn(fragment.selectionSet, fragments, seen);
      }
    }
  });
}
