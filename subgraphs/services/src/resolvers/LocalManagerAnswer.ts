import { checkPageRequest, emptyPage, isUuid, type Connection } from '@pgamr/kit';
import { findActiveDeputyPage } from '../access/access.repository';
import type { LocalManagerAnswerResolvers } from '../generated/resolvers-types';

/** What Query.localManager answers once the caller may ask (R12): the page of deputies is read only if selected. */
export interface LocalManagerAnswerSource {
  hasLocalManager: boolean;
  localManager: { __typename: 'User'; id: string } | null;
  serviceId: string;
  organizationId: string;
}

/** The same page with each node mapped: cursors, page info and total are the source page's. */
function mapNodes<T, U>(page: Connection<T>, map: (node: T) => U): Connection<U> {
  return {
    nodes: page.nodes.map(map),
    edges: () => page.edges().map(({ cursor, node }) => ({ cursor, node: map(node) })),
    pageInfo: page.pageInfo,
    totalCount: () => page.totalCount(),
  };
}

export const LocalManagerAnswer = {
  /** R10, R12: the deputies whose period covers now, as User references, paged in SQL. */
  activeDeputies: async (answer, page, { em, clock }) => {
    if (!isUuid(answer.organizationId)) {
      checkPageRequest(page);
      return emptyPage();
    }
    const deputies = await findActiveDeputyPage(em, answer.serviceId, answer.organizationId, page, clock.now());
    return mapNodes(deputies, (right) => ({ __typename: 'User', id: right.userId }));
  },
} satisfies LocalManagerAnswerResolvers;
