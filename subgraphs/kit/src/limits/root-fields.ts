import { Kind, type ASTVisitor, type SelectionSetNode, type ValidationContext } from 'graphql';
import { refusal, RefusalCode } from '../errors';

/**
 * Refuses an operation that asks for more than `limit` root fields: each one is a separate
 * query plan, often on several subgraphs, so their number bounds the work one request starts.
 * `__typename` is free; fragments on the root type count their fields.
 */
export function maxRootFieldsRule(limit: number) {
  return (context: ValidationContext): ASTVisitor => ({
    OperationDefinition(operation) {
      const count = countRootFields(context, operation.selectionSet, new Set());
      if (count > limit) {
        context.reportError(
          refusal(
            RefusalCode.TooManyRootFields,
            `L'opération demande ${count} champs racines; le maximum permis est ${limit}.`,
            { limit },
          ),
        );
      }
    },
  });
}

function countRootFields(context: ValidationContext, selectionSet: SelectionSetNode, seenFragments: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== '__typename') count += 1;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      count += countRootFields(context, selection.selectionSet, seenFragments);
    } else if (!seenFragments.has(selection.name.value)) {
      seenFragments.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(context, fragment.selectionSet, seenFragments);
    }
  }
  return count;
}
