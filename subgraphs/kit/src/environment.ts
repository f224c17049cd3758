import { z } from 'zod';

/**
 * Every process reads its configuration once at start and, on a bad value, stops with one list
 * of problems in French: operators read French, and zod's default messages are English. Set
 * before the first schema is checked; it applies to every zod schema of the process.
 */
export function frenchValidationMessages(): void {
  z.config(z.locales.fr());
}

/** `VARIABLE: problème`, one per zod issue, for a configuration error's list. */
export const configurationIssues = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.map(String).join('.') || '(environnement)'}: ${issue.message}`);

/**
 * A start refused by the configuration: the message is the whole French list, made to be printed
 * as it is, without a stack trace (see run.ts and the gateway's index.ts).
 */
export class ConfigurationError extends Error {
  constructor(
    readonly service: string,
    readonly issues: readonly string[],
  ) {
    super(`Configuration invalide ${service}:\n- ${issues.join('\n- ')}`);
    this.name = 'ConfigurationError';
  }
}

/**
 * The names of a subgraph's variables, derived from its name in one place (`road-aid` →
 * `ROAD_AID_PORT`…) so that the subgraph, the gateway, `npm start` and the bench agree on them.
 */
export function subgraphVariables(name: string) {
  const key = name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return {
    /** The prefix alone, by which the gateway files what it reads per subgraph: `ROAD_AID`. */
    key,
    /** The subgraph's port. */
    port: `${key}_PORT`,
    /** The subgraph's own PostgreSQL database. */
    databaseUrl: `${key}_DATABASE_URL`,
    /** Gateway: where it routes the subgraph's calls. */
    subgraphUrl: `${key}_SUBGRAPH_URL`,
    /** Gateway: what its `/ready` asks whether the subgraph answers. */
    subgraphHealthUrl: `${key}_SUBGRAPH_HEALTH_URL`,
    /** Gateway: the time limit of one call to the subgraph. */
    subgraphTimeoutMs: `${key}_SUBGRAPH_TIMEOUT_MS`,
  } as const;
}
