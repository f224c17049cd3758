import type { ApolloGateway } from '@apollo/gateway';
import { assignCostDirectives, CostDirectives } from '@pgamr/kit/limits';

/**
 * Has the cost estimate read `@cost` and `@listSize` from each supergraph the gateway loads, hot
 * reloads included. The API schema the gateway validates operations against keeps none of the
 * supergraph's directive applications, so they are read from the supergraph's text, once per
 * load, and tied to that API schema: an operation validated against a schema is costed with that
 * schema's directives, even while a reload swaps them.
 */
export function readCostDirectivesOfSupergraphs(gateway: ApolloGateway): void {
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    assignCostDirectives(apiSchema, CostDirectives.fromSdl(coreSupergraphSdl));
  });
}
