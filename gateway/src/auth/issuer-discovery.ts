import { isAcceptableAlgorithm, type TokenAlgorithm } from '@pgamr/kit/auth';
import { ConfigurationError } from '@pgamr/kit/environment';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { TokenSettings } from './token-settings';

type DiscoverySettings = Extract<TokenSettings, { kind: 'discovery' }>;

/** What the gateway takes from a provider's discovery document. */
export interface DiscoveredIssuer {
  issuer: string;
  jwksUri: string;
  algorithms: readonly TokenAlgorithm[];
}

/** How long one read of the document may take, and the waits between reads while it fails. */
export interface DiscoveryTiming {
  timeoutMs: number;
  firstRetryMs: number;
  maxRetryMs: number;
}

const DEFAULT_TIMING: DiscoveryTiming = { timeoutMs: 5_000, firstRetryMs: 500, maxRetryMs: 30_000 };

export interface IssuerDiscovery {
  /** The issuer once its document has been read; undefined until then. */
  current(): DiscoveredIssuer | undefined;
  /**
   * Resolves once the document has been read. Rejects with a ConfigurationError when it answered
   * but names what the configuration refuses (another issuer, no acceptable algorithm): reading
   * it again would not help.
   */
  settled: Promise<DiscoveredIssuer>;
  /** Stops reading again (the gateway is closing). */
  stop(): void;
}

/** OpenID Connect Discovery 1.0, §3: the fields the gateway reads. */
const documentSchema = z.object({
  issuer: z.string().min(1),
  jwks_uri: z.url({ protocol: /^https?$/ }),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});

/** The document could not be read now (provider down, slow, answering something else): read it again later. */
class DiscoveryUnavailable extends Error {}

/**
 * Reads the provider's discovery document in the background, again and again with a growing
 * wait (jittered, at most `maxRetryMs`) while the provider is down, so that a gateway started
 * before its provider neither crash-loops nor accepts a token it cannot check: until the document
 * is read, token-bearing requests are refused as an outage (503, retryable), anonymous ones pass,
 * and `/ready` says not ready. The document is read once per process: a provider that moves its
 * key set (not its keys: rotation is followed through the key set) needs a restart.
 */
export function discoverIssuer(settings: DiscoverySettings, logger: Logger, timing: DiscoveryTiming = DEFAULT_TIMING): IssuerDiscovery {
  let current: DiscoveredIssuer | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const aborter = new AbortController();
  const settled = new Promise<DiscoveredIssuer>((resolve, reject) => {
    const attempt = async (attempts: number) => {
      try {
        current = await readDiscoveryDocument(settings, AbortSignal.any([aborter.signal, AbortSignal.timeout(timing.timeoutMs)]));
        logger.info({ issuer: current.issuer, jwksUri: current.jwksUri, algorithms: current.algorithms }, 'token issuer discovered');
        resolve(current);
      } catch (error) {
        if (!(error instanceof DiscoveryUnavailable)) return reject(error instanceof Error ? error : new Error(String(error)));
        if (stopped) return;
        const waitMs = Math.round(Math.min(timing.maxRetryMs, timing.firstRetryMs * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2));
        logger.warn(
          { err: error.cause ?? error, url: settings.discoveryUrl, attempts, retryInMs: waitMs },
          'OpenID Connect discovery document unavailable: token-bearing requests are refused as retryable until it is read',
        );
        retry = setTimeout(() => void attempt(attempts + 1), waitMs);
      }
    };
    void attempt(1);
  });
  // Whoever starts the gateway decides what a refusal does (index.ts stops the process); until
  // then it must not count as an unhandled rejection.
  settled.catch(() => undefined);
  return {
    current: () => current,
    settled,
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      aborter.abort();
    },
  };
}

async function readDiscoveryDocument(settings: DiscoverySettings, signal: AbortSignal): Promise<DiscoveredIssuer> {
  let body: unknown;
  try {
    const response = await fetch(settings.discoveryUrl, { headers: { accept: 'application/json' }, signal });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new DiscoveryUnavailable('discovery document unavailable', { cause: error });
  }
  const parsed = documentSchema.safeParse(body);
  if (!parsed.success) {
    throw new DiscoveryUnavailable('discovery document unreadable', { cause: new Error(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')) });
  }
  const document = parsed.data;
  const refusals: string[] = [];
  const { issuer: expected, from } = settings.expectedIssuer;
  // An issuer URL may end with a slash (Auth0's do), which the document's own URL does not show.
  const issuerMatches = document.issuer === expected || (from === 'OIDC_DISCOVERY_URL' && document.issuer === `${expected}/`);
  if (!issuerMatches) {
    refusals.push(
      from === 'TOKEN_ISSUER'
        ? `OIDC_DISCOVERY_URL: le document de découverte nomme l'émetteur « ${document.issuer} », pas celui de TOKEN_ISSUER (« ${expected} »)`
        : `OIDC_DISCOVERY_URL: le document de découverte nomme l'émetteur « ${document.issuer} », pas l'adresse sous laquelle il est publié (« ${expected} ») ; donnez TOKEN_ISSUER si c'est bien lui`,
    );
  }
  if (new URL(settings.discoveryUrl).protocol === 'https:' && new URL(document.jwks_uri).protocol !== 'https:') {
    refusals.push(`OIDC_DISCOVERY_URL: le document de découverte donne un jeu de clés (jwks_uri) en http, pas en https : ${document.jwks_uri}`);
  }
  const algorithms = settings.algorithms ?? (document.id_token_signing_alg_values_supported ?? []).filter(isAcceptableAlgorithm);
  if (algorithms.length === 0) {
    const listed = document.id_token_signing_alg_values_supported?.join(', ') || 'aucun';
    refusals.push(
      `OIDC_DISCOVERY_URL: le document de découverte n'annonce aucun algorithme de signature que la passerelle accepte (annoncés : ${listed}) ; donnez TOKEN_ALGORITHMS`,
    );
  }
  if (refusals.length > 0) throw new ConfigurationError('de la passerelle', refusals);
  return { issuer: document.issuer, jwksUri: document.jwks_uri, algorithms };
}
