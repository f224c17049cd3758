import {
  cachedVerifier,
  createTokenVerifier,
  remoteKeySet,
  remoteSessionStatus,
  sessionAssertions,
  sessionChecker,
  withSessionCheck,
  type VerifyAuthorization,
  type Viewer,
} from '@pgamr/kit/auth';
import { systemClock, type Clock } from '@pgamr/kit/clock';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config';
import { discoverIssuer, type DiscoveredIssuer } from './issuer-discovery';

/** The gateway's token verification, built once from its settings. */
export interface GatewayTokens {
  /** Signature, issuer, audience, dates and claims: enough to know whose budget a request spends (rate limits). */
  verifyToken: VerifyAuthorization;
  /** What a request proves: `verifyToken`, and for identity's tokens their session asked of identity. */
  verify: VerifyAuthorization;
  /**
   * For identity's tokens with `SESSION_ASSERTION_SECRET`: the assertion, for the subgraph calls
   * of the request `requestId`, that `verify` has just found this viewer's session live.
   */
  assertSession?: (viewer: Viewer, requestId: string) => string;
  /** False while a provider's discovery document has not been read: token-bearing requests are then refused as retryable. */
  known(): boolean;
  /** Whether readiness waits on a discovery document. */
  discovered: boolean;
  /** Resolves once the accepted tokens are known; rejects when a discovery document names what the configuration refuses. */
  settled: Promise<void>;
  close(): Promise<void>;
}

/**
 * Verification for the gateway's `TOKEN_*` settings (see token-settings.ts). Identity's tokens
 * also have their session checked on every request (R2, R6). Another provider's have no session
 * in identity: they are accepted until they expire, so its tokens should be short-lived.
 */
export function gatewayTokens(config: GatewayConfig, logger: Logger, clock: Clock = systemClock): GatewayTokens {
  const settings = config.tokens;
  // Expiry is judged on the gateway's clock, the system clock but in tests.
  const epochMs = () => clock.now().getTime();
  const cached = (verify: VerifyAuthorization) => cachedVerifier(verify, { maxAgeMs: config.tokenCacheMs }, epochMs);
  const keySet = (jwksUrl: string) => remoteKeySet(jwksUrl, config.jwksCooldownMs);
  const known = { known: () => true, discovered: false, settled: Promise.resolve() };
  switch (settings.kind) {
    case 'none':
      return { verifyToken: refuseEveryToken, verify: refuseEveryToken, ...known, close: async () => undefined };
    case 'identity': {
      const verifyToken = cached(createTokenVerifier(keySet(settings.jwksUrl), settings.acceptance, epochMs));
      const sessions = remoteSessionStatus(settings.sessionsUrl);
      const verify = withSessionCheck(verifyToken, sessionChecker(sessions), logger);
      const assertions = settings.sessionAssertionSecret ? sessionAssertions(settings.sessionAssertionSecret) : undefined;
      return {
        verifyToken,
        verify,
        ...(assertions ? { assertSession: (viewer: Viewer, requestId: string) => assertions.sign({ sessionId: viewer.sessionId, userId: viewer.userId, requestId }) } : {}),
        ...known,
        close: () => sessions.close(),
      };
    }
    case 'provider': {
      const verifyToken = cached(createTokenVerifier(keySet(settings.jwksUrl), settings.acceptance, epochMs));
      return { verifyToken, verify: verifyToken, ...known, close: async () => undefined };
    }
    case 'discovery': {
      const discovery = discoverIssuer(settings, logger);
      let verifyDiscovered: VerifyAuthorization | undefined;
      const verifierOf = (issuer: DiscoveredIssuer) =>
        (verifyDiscovered ??= createTokenVerifier(keySet(issuer.jwksUri), {
          issuer: issuer.issuer,
          audience: settings.audience,
          algorithms: issuer.algorithms,
          claims: settings.claims,
        }, epochMs));
      const settled = discovery.settled.then(() => undefined);
      settled.catch(() => undefined);
      const verifyToken = cached(async (authorizationHeader) => {
        if (!authorizationHeader) return { status: 'anonymous' };
        const issuer = discovery.current();
        return issuer ? verifierOf(issuer)(authorizationHeader) : { status: 'unavailable' };
      });
      return {
        verifyToken,
        verify: verifyToken,
        known: () => discovery.current() !== undefined,
        discovered: true,
        settled,
        close: async () => discovery.stop(),
      };
    }
  }
}

/** `TOKEN_ISSUER=none`: anonymous requests only; any bearer token is refused, never ignored. */
const refuseEveryToken: VerifyAuthorization = async (authorizationHeader) =>
  authorizationHeader ? { status: 'rejected', reason: 'unaccepted' } : { status: 'anonymous' };
