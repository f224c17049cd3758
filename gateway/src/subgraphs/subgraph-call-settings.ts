import { subgraphVariables } from '@pgamr/kit/environment';
import { z } from 'zod';

/** How the gateway calls its subgraphs: connections, time limits, retries, circuit breakers. */
export interface SubgraphCallSettings {
  /** Time limit of one attempt, for subgraphs without their own. */
  timeoutMs: number;
  /** Per-subgraph time limits, by environment key (`IDENTITY`, `ROAD_AID`…). */
  timeoutMsBySubgraph: Record<string, number>;
  /** Extra attempts for a query (never a mutation) after a network error, a time-out or a 5xx. */
  retries: number;
  /** First retry delay; each next one doubles, with full jitter. */
  retryBaseDelayMs: number;
  /** Share of failed calls, in the rolling window, that opens a subgraph's circuit. */
  circuitErrorThresholdPercentage: number;
  /** Least calls in the rolling window before the circuit may open. */
  circuitVolumeThreshold: number;
  /** Time an open circuit fails fast before letting one trial call through. */
  circuitResetTimeoutMs: number;
  /** Keep-alive connections per subgraph origin. */
  maxConnectionsPerSubgraph: number;
}

const PER_SUBGRAPH_TIMEOUT_VARIABLE = /^([A-Z][A-Z0-9_]*)_SUBGRAPH_TIMEOUT_MS$/;

const settingsSchema = z.object({
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  SUBGRAPH_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  SUBGRAPH_RETRY_BASE_DELAY_MS: z.coerce.number().int().min(0).default(100),
  SUBGRAPH_CIRCUIT_ERROR_PERCENTAGE: z.coerce.number().int().min(1).max(100).default(50),
  SUBGRAPH_CIRCUIT_VOLUME_THRESHOLD: z.coerce.number().int().min(1).default(5),
  SUBGRAPH_CIRCUIT_RESET_MS: z.coerce.number().int().min(1).default(10_000),
  SUBGRAPH_MAX_CONNECTIONS: z.coerce.number().int().min(1).default(64),
});

/** Reads the subgraph-call settings, adding a French message to `issues` for each bad value. */
export function readSubgraphCallSettings(env: NodeJS.ProcessEnv, issues: string[]): SubgraphCallSettings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) issues.push(...parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`));
  const timeoutMsBySubgraph: Record<string, number> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = PER_SUBGRAPH_TIMEOUT_VARIABLE.exec(name);
    if (!match?.[1] || !value) continue;
    const timeout = z.coerce.number().int().min(1).safeParse(value);
    if (timeout.success) timeoutMsBySubgraph[match[1]] = timeout.data;
    else issues.push(`${name}: nombre entier de millisecondes attendu`);
  }
  const settings = parsed.success ? parsed.data : settingsSchema.parse({});
  return {
    timeoutMs: settings.SUBGRAPH_TIMEOUT_MS,
    timeoutMsBySubgraph,
    retries: settings.SUBGRAPH_RETRIES,
    retryBaseDelayMs: settings.SUBGRAPH_RETRY_BASE_DELAY_MS,
    circuitErrorThresholdPercentage: settings.SUBGRAPH_CIRCUIT_ERROR_PERCENTAGE,
    circuitVolumeThreshold: settings.SUBGRAPH_CIRCUIT_VOLUME_THRESHOLD,
    circuitResetTimeoutMs: settings.SUBGRAPH_CIRCUIT_RESET_MS,
    maxConnectionsPerSubgraph: settings.SUBGRAPH_MAX_CONNECTIONS,
  };
}

/** The time limit of one call to the named subgraph. */
export function subgraphTimeoutMs(settings: SubgraphCallSettings, name: string): number {
  return settings.timeoutMsBySubgraph[subgraphVariables(name).key] ?? settings.timeoutMs;
}
