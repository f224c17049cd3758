import type { ApolloServerPlugin } from '@apollo/server';
import { operationLimits, type OperationLimits } from '@pgamr/kit/limits';
import type { GatewayContext } from '../auth/gateway-context';
import type { GatewayLimitsConfig } from './config';
import { introspectionPolicyPlugin } from './introspection';

export { readGatewayLimits, type GatewayLimitsConfig, type IntrospectionPolicy } from './config';
export { mayIntrospect, asksForIntrospection } from './introspection';
export { readCostDirectivesOfSupergraphs } from './cost-directives';

/**
 * Everything that refuses an operation for its shape before it reaches a subgraph: the kit's
 * limits (depth, aliases, directives, root fields, tokens, cost; the subgraphs enforce the same
 * with a margin), and introspection per caller.
 */
export function gatewayOperationLimits(config: GatewayLimitsConfig): OperationLimits<GatewayContext> {
  const limits = operationLimits<GatewayContext>(config, 'gateway');
  const plugins: ApolloServerPlugin<GatewayContext>[] = [...limits.plugins, introspectionPolicyPlugin(config.introspection)];
  return { ...limits, plugins };
}
