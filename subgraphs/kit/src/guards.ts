import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLFormattedError, GraphQLSchema, ParseOptions, ValidationRule } from 'graphql';
import { inputValidationPlugin } from './input';
import { operationLimits, type OperationLimitsConfig } from './limits';
import { formatPublicError, operationResolutionPlugin } from './request-errors';

/** What the kit puts in front of a subgraph's resolvers; spread into its Apollo Server options. */
export interface SubgraphGuards<TContext extends BaseContext> {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError;
  /** To come first among the server's plugins: they refuse before anything else looks at the operation. */
  plugins: ApolloServerPlugin<TContext>[];
}

/**
 * Everything a subgraph refuses before any resolver runs, as the gateway does but on its own,
 * since subgraphs are reachable on the internal network: an operation name the document does
 * not define, the operation limits (`SUBGRAPH_LIMITS`), then bad input (`inputValidationPlugin`).
 * Refusals keep their stable codes and French messages; anything unexpected is masked.
 */
export function subgraphGuards<TContext extends BaseContext>(schema: GraphQLSchema, limits: OperationLimitsConfig): SubgraphGuards<TContext> {
  const operation = operationLimits<TContext>(limits, 'subgraph');
  return {
    validationRules: operation.validationRules,
    parseOptions: operation.parseOptions,
    formatError: formatPublicError,
    plugins: [operationResolutionPlugin<TContext>(), ...operation.plugins, inputValidationPlugin<TContext>(schema)],
  };
}
