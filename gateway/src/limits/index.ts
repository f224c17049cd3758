import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions, ValidationRule } from 'graphql';
import type { GatewayContext } from '../auth/gateway-context';
import type { OperationLimitsConfig } from './config';
import { costLimitRule } from './cost';
import { introspectionPolicyPlugin } from './introspection';
import { refusal, RefusalCode } from './refusals';
import { maxRootFieldsRule } from './root-fields';

export { readOperationLimits, type OperationLimitsConfig, type IntrospectionPolicy } from './config';
export { mayIntrospect, asksForIntrospection } from './introspection';
export { keepRefusalCode, RefusalCode } from './refusals';

export interface OperationLimits {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin<GatewayContext>[];
}

/**
 * Everything that refuses an operation for its shape before it reaches a subgraph: depth,
 * aliases and directives (graphql-armor), root fields and cost (ours, the cost with list
 * sizes), tokens (graphql-js's parser) and introspection per caller.
 */
export function operationLimits(config: OperationLimitsConfig): OperationLimits {
  const armor = new ApolloArmor({
    maxDepth: { n: config.maxDepth, ignoreIntrospection: true, ...reject(RefusalCode.TooDeep, `L'opération dépasse la profondeur maximale permise (${config.maxDepth}).`, config.maxDepth) },
    maxAliases: { n: config.maxAliases, ...reject(RefusalCode.TooManyAliases, `L'opération compte plus de ${config.maxAliases} alias, le maximum permis.`, config.maxAliases) },
    maxDirectives: { n: config.maxDirectives, ...reject(RefusalCode.TooManyDirectives, `L'opération compte plus de ${config.maxDirectives} directives, le maximum permis.`, config.maxDirectives) },
    // Armor's token plugin throws from a hook Apollo does not catch (a 500), and turns every
    // unexpected error into a public validation error: graphql-js's own limit replaces it.
    maxTokens: { enabled: false },
    // Armor's cost ignores list sizes; ours counts them.
    costLimit: { enabled: false },
    // Suggestions are hidden per caller, with introspection.
    blockFieldSuggestion: { enabled: false },
  });
  const protection = armor.protect();
  return {
    validationRules: [
      ...protection.validationRules,
      maxRootFieldsRule(config.maxRootFields),
      costLimitRule({ maxCost: config.maxCost, defaultListSize: config.defaultListSize, maxListSize: config.maxListSize }),
    ],
    parseOptions: { maxLexicalTokens: config.maxTokens },
    plugins: [introspectionPolicyPlugin(config.introspection)],
  };
}

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type RejectCallback = NonNullable<NonNullable<ArmorConfig['maxDepth']>['onReject']>[number];

/** Armor reports in English with a generic code; ours are French and stable. */
function reject(code: RefusalCode, message: string, limit: number) {
  const onReject: RejectCallback = (context) => context?.reportError(refusal(code, message, { limit }));
  return { propagateOnRejection: false, onReject: [onReject] };
}
