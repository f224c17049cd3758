import { z } from 'zod';

/** What an operation may ask for at most; beyond, it is refused before it runs (HTTP 400). */
export interface OperationLimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  /** Lexical tokens of the document; `parse` stops there, before building anything. */
  maxTokens: number;
  maxCost: number;
  /**
   * The size the cost estimate assumes for a list nothing sizes (no `@listSize`, no `first`, no
   * default): small enough that three such lists nested (8,420 objects) pass `maxCost`, as
   * ordinary queries of other teams' subgraphs do.
   */
  defaultListSize: number;
  /** The size the cost estimate assumes for `first: $variable` when it cannot know it, and at most for any: the kit's MAX_PAGE_SIZE. */
  maxListSize: number;
}

/** The gateway's limits: what a client's operation may ask for. */
export const GATEWAY_LIMITS: OperationLimitsConfig = {
  maxDepth: 10,
  maxAliases: 15,
  maxRootFields: 10,
  maxDirectives: 20,
  maxTokens: 2_000,
  maxCost: 10_000,
  defaultListSize: 20,
  maxListSize: 100,
};

/**
 * Every subgraph's limits, for what reaches it straight from the internal network. They must
 * never refuse what the gateway's query planner sends for an operation the gateway accepted:
 * - depth: fragments do not count as levels here, and an entity fetch (`_entities { ... on T { … } }`)
 *   replaces at least one field of the client's path, so a fetch is never deeper than its
 *   operation; two levels of margin;
 * - aliases, root fields, directives: a fetch holds a part of the operation's, plus what the
 *   planner adds; twice the gateway's;
 * - tokens: the planner adds `__typename` and key fields and may inline fragments; five times;
 * - cost: the same estimate on the same directives (`@cost`, `@listSize`, from the subgraph's own
 *   SDL where the gateway reads its supergraph's), counted with the request's variables,
 *   `_entities` once per representation sent. The gateway assumes 20 elements for a list that
 *   nothing sizes (the Répertoire's 1,100 municipal bodies…), so an entity fetch may carry many
 *   more parents than the gateway counted: the gateway's maximum times its largest page. Still a
 *   bound: nine levels of `dossiers → organization` at the default page size, which took the
 *   mandates subgraph to a 4 GB heap, cost over 20^9.
 */
export const SUBGRAPH_LIMITS: OperationLimitsConfig = {
  maxDepth: GATEWAY_LIMITS.maxDepth + 2,
  maxAliases: GATEWAY_LIMITS.maxAliases * 2,
  maxRootFields: GATEWAY_LIMITS.maxRootFields * 2,
  maxDirectives: GATEWAY_LIMITS.maxDirectives * 2,
  maxTokens: GATEWAY_LIMITS.maxTokens * 5,
  maxCost: GATEWAY_LIMITS.maxCost * GATEWAY_LIMITS.maxListSize,
  defaultListSize: GATEWAY_LIMITS.defaultListSize,
  maxListSize: GATEWAY_LIMITS.maxListSize,
};

const VARIABLES: Record<keyof OperationLimitsConfig, string> = {
  maxDepth: 'MAX_DEPTH',
  maxAliases: 'MAX_ALIASES',
  maxRootFields: 'MAX_ROOT_FIELDS',
  maxDirectives: 'MAX_DIRECTIVES',
  maxTokens: 'MAX_TOKENS',
  maxCost: 'MAX_COST',
  defaultListSize: 'DEFAULT_LIST_SIZE',
  maxListSize: 'MAX_LIST_SIZE',
};

const limit = z.coerce.number().int().min(1);

/**
 * The limits from `<prefix>_MAX_DEPTH`, `<prefix>_MAX_COST`… (`GATEWAY_`, `SUBGRAPH_`), each
 * defaulting to `defaults`; a bad value is added to `issues` and its default kept.
 */
export function readOperationLimits(
  env: NodeJS.ProcessEnv,
  prefix: 'GATEWAY' | 'SUBGRAPH',
  defaults: OperationLimitsConfig,
  issues: string[],
): OperationLimitsConfig {
  const config = { ...defaults };
  for (const [key, suffix] of Object.entries(VARIABLES) as Array<[keyof OperationLimitsConfig, string]>) {
    const name = `${prefix}_${suffix}`;
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const parsed = limit.safeParse(raw);
    if (parsed.success) config[key] = parsed.data;
    else issues.push(`${name}: un entier positif est attendu`);
  }
  return config;
}
