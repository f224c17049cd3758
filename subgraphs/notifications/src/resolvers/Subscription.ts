import { badRequest } from '@pgamr/kit/errors';
import type { SubscriptionResolvers } from '../generated/resolvers-types';

/** The gateway executes subscriptions (issue 19); a subgraph never streams, whoever asks it. */
const servedByTheGateway = () =>
  badRequest('Les abonnements sont servis par la passerelle seulement : ouvrez un flux sur POST /graphql/stream (graphql-sse) ou sur le WebSocket /graphql (graphql-ws).');

export const Subscription = {
  notifications: {
    subscribe: () => {
      throw servedByTheGateway();
    },
    resolve: () => {
      throw servedByTheGateway();
    },
  },
} satisfies SubscriptionResolvers;
