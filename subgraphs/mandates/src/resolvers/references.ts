import { requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';

/**
 * `__resolveReference` of an entity owned elsewhere that this subgraph only adds fields to: the
 * owner knows whether it exists; here it is only ever resolved for a signed-in caller (deny by
 * default: an anonymous `_entities` call gets UNAUTHENTICATED, not an echo of its ids).
 */
export function resolveForeignReference({ id }: { id: string }, context: MandatesContext): { id: string } {
  requireViewer(context.auth);
  return { id };
}
