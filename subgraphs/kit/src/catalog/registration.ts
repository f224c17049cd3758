import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { CatalogDeclaration } from './declaration';

/** Where the services subgraph receives catalog declarations. */
export const CATALOG_REGISTRATION_PATH = '/catalog/v1/registrations';

/** What a subgraph sends: its declaration, its demonstration rights only when it runs with demo data. */
export interface CatalogRegistration extends CatalogDeclaration {
  /** The registering subgraph, for services' log. */
  subgraph: string;
}

/** What the services subgraph answers to a registration it accepted. */
export interface CatalogRegistrationAnswer {
  /** Codes of the services this registration added to the catalog. */
  created: string[];
  /** Codes already in the catalog: left as they are (the catalog is edited in services, never overwritten). */
  existing: string[];
  /** Demonstration rights ensured, or `ignored` where services runs without demo data (production). */
  demoRights: number | 'ignored';
}

export type CatalogRegistrationOutcome =
  | { status: 'registered'; answer: CatalogRegistrationAnswer }
  /** Services answered, and no retry will change its answer: a refused declaration or token, no such route. */
  | { status: 'refused'; httpStatus: number; reason: string }
  /** The subgraph stopped before services answered. */
  | { status: 'stopped' };

export interface RegisterCatalogOptions {
  /** Services' registration endpoint. */
  url: string;
  /** `CATALOG_REGISTRATION_TOKEN`, the bearer token services asks for. */
  token?: string;
  registration: CatalogRegistration;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  signal: AbortSignal;
  firstDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
}

/**
 * Registers a subgraph's online services with the services subgraph, which owns the catalog
 * (R7, R23). Services applies a declaration idempotently, so every start sends it again; it is
 * retried, 0.5 s, 1 s, 2 s… up to 30 s apart, for as long as services does not answer (not
 * started yet, restarting), and given up when services refuses it, which no retry would change.
 */
export async function registerCatalog(options: RegisterCatalogOptions): Promise<CatalogRegistrationOutcome> {
  const { url, token, registration, logger, signal, firstDelayMs = 500, maxDelayMs = 30_000, timeoutMs = 5_000 } = options;
  const body = JSON.stringify(registration);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const codes = registration.services.map((service) => service.code);
  for (let attempt = 1; !signal.aborted; attempt++) {
    let failure: string;
    try {
      const response = await fetch(url, { method: 'PUT', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      const text = await response.text();
      if (response.ok) {
        const answer = JSON.parse(text) as CatalogRegistrationAnswer;
        logger.info({ services: codes, ...answer }, 'online services registered with the services catalog');
        return { status: 'registered', answer };
      }
      if (response.status < 500 && response.status !== 408 && response.status !== 429) {
        logger.error({ status: response.status, reason: text, url }, 'the services catalog refused this subgraph\'s declaration; its services stay unregistered');
        return { status: 'refused', httpStatus: response.status, reason: text };
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (signal.aborted) break;
      failure = error instanceof Error ? error.message : String(error);
    }
    const retryInMs = Math.min(maxDelayMs, firstDelayMs * 2 ** (attempt - 1));
    logger.warn({ attempt, retryInMs, url, reason: failure }, 'the services catalog does not answer; registration retried');
    try {
      await sleep(retryInMs, undefined, { signal });
    } catch {
      break;
    }
  }
  return { status: 'stopped' };
}
