import { z } from 'zod';

/** Who may introspect the schema and read field suggestions in validation errors. */
export type IntrospectionPolicy = 'on' | 'staff' | 'off';

export interface OperationLimitsConfig {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
  /** Lexical tokens of the document; `parse` stops there, before building anything. */
  maxTokens: number;
  maxCost: number;
  /** The size the cost estimate assumes for a list with no `first` and no default. */
  defaultListSize: number;
  /** The size the cost estimate assumes for `first: $variable` (the kit's MAX_PAGE_SIZE). */
  maxListSize: number;
  introspection: IntrospectionPolicy;
}

const limit = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const limitsSchema = z.object({
  GATEWAY_MAX_DEPTH: limit(10),
  GATEWAY_MAX_ALIASES: limit(15),
  GATEWAY_MAX_ROOT_FIELDS: limit(10),
  GATEWAY_MAX_DIRECTIVES: limit(20),
  GATEWAY_MAX_TOKENS: limit(2000),
  GATEWAY_MAX_COST: limit(10_000),
  GATEWAY_DEFAULT_LIST_SIZE: limit(20),
  GATEWAY_MAX_LIST_SIZE: limit(100),
  GATEWAY_INTROSPECTION: z.enum(['on', 'staff', 'off']).optional(),
});

/**
 * The operation limits, from the environment. Production shows the schema (introspection and
 * "Did you mean …" suggestions) to signed-in ministry staff only; development to everyone.
 */
export function readOperationLimits(env: NodeJS.ProcessEnv, issues: string[], production: boolean): OperationLimitsConfig {
  const parsed = limitsSchema.safeParse(env);
  if (!parsed.success) {
    issues.push(...parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
    return readOperationLimits({}, [], production);
  }
  const settings = parsed.data;
  return {
    maxDepth: settings.GATEWAY_MAX_DEPTH,
    maxAliases: settings.GATEWAY_MAX_ALIASES,
    maxRootFields: settings.GATEWAY_MAX_ROOT_FIELDS,
    maxDirectives: settings.GATEWAY_MAX_DIRECTIVES,
    maxTokens: settings.GATEWAY_MAX_TOKENS,
    maxCost: settings.GATEWAY_MAX_COST,
    defaultListSize: settings.GATEWAY_DEFAULT_LIST_SIZE,
    maxListSize: settings.GATEWAY_MAX_LIST_SIZE,
    introspection: settings.GATEWAY_INTROSPECTION ?? (production ? 'staff' : 'on'),
  };
}
