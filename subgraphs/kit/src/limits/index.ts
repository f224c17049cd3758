import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';
import { refusal, RefusalCode } from '../errors';
import type { OperationLimitsConfig } from './config';
import { costLimitPlugin, costLimitRule } from './cost';
import { maxRootFieldsRule } from './root-fields';

export { GATEWAY_LIMITS, SUBGRAPH_LIMITS, readOperationLimits, type OperationLimitsConfig } from './config';
export { assignCostDirectives, costDirectivesOf, costLimitPlugin, costLimitRule, estimateCost, type CostOptions } from './cost';
export { CostDirectives, type ListSize } from './cost-directives';
export { keepRefusalCode, tooManyTokens } from './refusals';

export interface OperationLimits<TContext extends BaseContext> {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin<TContext>[];
}

/**
 * Everything that refuses an operation for its shape before it runs, for the gateway and for
 * every subgraph alike: depth, aliases and directives (graphql-armor), root fields and cost
 * (ours: list sizes and weights from the schema's @listSize and @cost), tokens (graphql-js's
 * parser). Each refusal has its stable code (`RefusalCode`) and a French message;
 * `keepRefusalCode` keeps them through Apollo.
 *
 * The `subgraph` profile differs in two ways, so that it never refuses what the gateway's query
 * planner sends (see SUBGRAPH_LIMITS): fragments are not levels of depth (an entity fetch puts
 * `... on T` under `_entities`), and the cost is counted per request with the variables.
 */
export function operationLimits<TContext extends BaseContext>(
  config: OperationLimitsConfig,
  profile: 'gateway' | 'subgraph',
): OperationLimits<TContext> {
  const armor = new ApolloArmor({
    maxDepth: {
      n: config.maxDepth,
      ignoreIntrospection: true,
      flattenFragments: profile === 'subgraph',
      ...reject(RefusalCode.TooDeep, `L'opération dépasse la profondeur maximale permise (${config.maxDepth}).`, config.maxDepth),
    },
    maxAliases: { n: config.maxAliases, ...reject(RefusalCode.TooManyAliases, `L'opération compte plus de ${config.maxAliases} alias, le maximum permis.`, config.maxAliases) },
    maxDirectives: { n: config.maxDirectives, ...reject(RefusalCode.TooManyDirectives, `L'opération compte plus de ${config.maxDirectives} directives, le maximum permis.`, config.maxDirectives) },
    // Armor's token plugin throws from a hook Apollo does not catch (a 500), and turns every
    // unexpected error into a public validation error: graphql-js's own limit replaces it.
    maxTokens: { enabled: false },
    // Armor's cost ignores list sizes and the schema's @cost and @listSize; ours reads them.
    costLimit: { enabled: false },
    // Suggestions are the gateway's business (per caller, with introspection).
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  const cost = { maxCost: config.maxCost, defaultListSize: config.defaultListSize, maxListSize: config.maxListSize };
  return {
    validationRules: [
      ...protection.validationRules,
      maxRootFieldsRule(config.maxRootFields),
      ...(profile === 'gateway' ? [costLimitRule(cost)] : []),
    ],
    parseOptions: { maxLexicalTokens: config.maxTokens },
    plugins: profile === 'subgraph' ? [costLimitPlugin<TContext>(cost)] : [],
  };
}

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

/** Armor reports in English with a generic code; ours are French and stable. */
function reject(code: RefusalCode, message: string, limit: number) {
  const onReject: RejectCallback = (context) => context?.reportError(refusal(code, message, { limit }));
  return { propagateOnRejection: false, onReject: [onReject] };
}
