import {
  ACCEPTABLE_ALGORITHMS,
  IDENTITY_CLAIMS,
  isAcceptableAlgorithm,
  readSessionAssertionSecret,
  SESSION_STATUS_PATH,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  type ClaimNames,
  type TokenAcceptance,
  type TokenAlgorithm,
} from '@pgamr/kit/auth';
import { configurationIssues } from '@pgamr/kit/environment';
import { z } from 'zod';

/** `TOKEN_ISSUER=none`: the gateway accepts no bearer token at all. */
export const NO_TOKENS = 'none';

/** Where an OpenID Connect issuer publishes its discovery document, below the issuer's URL. */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * Whose access tokens the gateway accepts, and how it reads them:
 * - `identity`: our identity subgraph's (the default): its key set, ES256, our claims, and the
 *   session of every token asked of identity on every request (R2, R6);
 * - `provider`: another OpenID Connect provider's, whose issuer, key set and algorithms are given;
 * - `discovery`: another provider's, whose issuer, key set and algorithms are read at start from
 *   its discovery document;
 * - `none`: no token at all; anonymous requests only.
 * Another provider's tokens have no session in identity: they are good until they expire.
 */
export type TokenSettings =
  | {
      kind: 'identity';
      jwksUrl: string;
      sessionsUrl: string;
      acceptance: TokenAcceptance;
      /**
       * `SESSION_ASSERTION_SECRET`, shared with the subgraphs: once a request's session is found
       * live, its subgraph calls carry an assertion of it, so they do not ask identity again.
       */
      sessionAssertionSecret?: Buffer;
    }
  | { kind: 'provider'; jwksUrl: string; acceptance: TokenAcceptance }
  | {
      kind: 'discovery';
      discoveryUrl: string;
      /** The issuer the document must name: `TOKEN_ISSUER`, else the URL the document is below. */
      expectedIssuer: { issuer: string; from: 'TOKEN_ISSUER' | 'OIDC_DISCOVERY_URL' };
      audience: string;
      /** `TOKEN_ALGORITHMS`; else those the document lists that the gateway accepts. */
      algorithms?: readonly TokenAlgorithm[];
      claims: ClaimNames;
    }
  | { kind: 'none' };

/** Another provider's session id: `sid` when it gives one (OpenID Connect sessions), else the token's own id. */
const PROVIDER_SESSION_CLAIMS = ['sid', 'jti'];

/** Algorithms assumed for another provider whose key set is given without a discovery document. */
const PROVIDER_DEFAULT_ALGORITHMS: readonly TokenAlgorithm[] = ['RS256', 'ES256'];

const httpUrl = z.url({ protocol: /^https?$/ });
/** A claim's name, or a dotted path into nested claims: `realm_access.roles`, `https://example.org/roles`. */
const claimName = z.string().regex(/^[^\s.][^\s]*$/, "un nom de revendication (claim) ou un chemin pointé, sans espace");

const environmentSchema = z.object({
  IDENTITY_JWKS_URL: httpUrl.default('http://127.0.0.1:4001/.well-known/jwks.json'),
  IDENTITY_SESSIONS_URL: httpUrl.optional(),
  TOKEN_ISSUER: z.string().trim().min(1).optional(),
  TOKEN_AUDIENCE: z.string().trim().min(1).optional(),
  TOKEN_JWKS_URL: httpUrl.optional(),
  OIDC_DISCOVERY_URL: httpUrl
    .refine((url) => new URL(url).pathname.endsWith(DISCOVERY_PATH), `l'adresse du document de découverte, terminée par ${DISCOVERY_PATH}`)
    .optional(),
  TOKEN_ALGORITHMS: z.string().optional(),
  TOKEN_ROLES_CLAIM: claimName.optional(),
  TOKEN_ORGANIZATION_CLAIM: claimName.optional(),
  TOKEN_DIRECTION_CLAIM: claimName.optional(),
});

type TokenEnvironment = z.infer<typeof environmentSchema>;

/** Settings that choose another provider's tokens, meaningless with `TOKEN_ISSUER=none`. */
const PROVIDER_VARIABLES = [
  'TOKEN_AUDIENCE',
  'TOKEN_JWKS_URL',
  'OIDC_DISCOVERY_URL',
  'TOKEN_ALGORITHMS',
  'TOKEN_ROLES_CLAIM',
  'TOKEN_ORGANIZATION_CLAIM',
  'TOKEN_DIRECTION_CLAIM',
] as const;

/**
 * Reads whose tokens the gateway accepts. Every problem goes to `issues`, in French, naming its
 * variable. `IDENTITY_JWKS_URL` and `IDENTITY_SESSIONS_URL` keep meaning our identity's, which
 * every subgraph reads too: they are ignored, not refused, when the gateway accepts another
 * provider's tokens, so one environment can serve every process; so is `SESSION_ASSERTION_SECRET`
 * (another provider's tokens have no session to assert), though a malformed one is refused.
 */
export function readTokenSettings(env: NodeJS.ProcessEnv, issues: string[]): TokenSettings {
  const sessionAssertionSecret = readSessionAssertionSecret(env, issues);
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    issues.push(...configurationIssues(parsed.error));
    return { kind: 'none' };
  }
  const settings = parsed.data;
  if (settings.TOKEN_ISSUER === NO_TOKENS) {
    for (const variable of PROVIDER_VARIABLES) {
      if (settings[variable] !== undefined) issues.push(`${variable}: sans objet avec TOKEN_ISSUER=${NO_TOKENS}, qui n'accepte aucun jeton d'accès`);
    }
    return { kind: 'none' };
  }
  const algorithms = settings.TOKEN_ALGORITHMS === undefined ? undefined : readAlgorithms(settings.TOKEN_ALGORITHMS, issues);
  if (settings.OIDC_DISCOVERY_URL) return discoverySettings(settings, settings.OIDC_DISCOVERY_URL, algorithms, issues);
  if (settings.TOKEN_ISSUER !== undefined && settings.TOKEN_ISSUER !== TOKEN_ISSUER) return providerSettings(settings, settings.TOKEN_ISSUER, algorithms, issues);
  const jwksUrl = settings.TOKEN_JWKS_URL ?? settings.IDENTITY_JWKS_URL;
  return {
    kind: 'identity',
    jwksUrl,
    sessionsUrl: settings.IDENTITY_SESSIONS_URL ?? new URL(SESSION_STATUS_PATH, jwksUrl).toString(),
    acceptance: {
      issuer: TOKEN_ISSUER,
      audience: settings.TOKEN_AUDIENCE ?? TOKEN_AUDIENCE,
      algorithms: algorithms ?? [TOKEN_ALGORITHM],
      claims: claimNames(settings, IDENTITY_CLAIMS.sessionId),
    },
    ...(sessionAssertionSecret ? { sessionAssertionSecret } : {}),
  };
}

function discoverySettings(settings: TokenEnvironment, discoveryUrl: string, algorithms: readonly TokenAlgorithm[] | undefined, issues: string[]): TokenSettings {
  if (settings.TOKEN_JWKS_URL) issues.push('TOKEN_JWKS_URL: sans objet avec OIDC_DISCOVERY_URL, dont le document donne le jeu de clés (jwks_uri)');
  if (!settings.TOKEN_AUDIENCE) issues.push(audienceRequired('OIDC_DISCOVERY_URL'));
  return {
    kind: 'discovery',
    discoveryUrl,
    // OpenID Connect Discovery 1.0, §4.3: the document's issuer is the URL it was read below.
    expectedIssuer: settings.TOKEN_ISSUER
      ? { issuer: settings.TOKEN_ISSUER, from: 'TOKEN_ISSUER' }
      : { issuer: discoveryUrl.slice(0, discoveryUrl.lastIndexOf(DISCOVERY_PATH)), from: 'OIDC_DISCOVERY_URL' },
    audience: settings.TOKEN_AUDIENCE ?? '',
    ...(algorithms ? { algorithms } : {}),
    claims: claimNames(settings, PROVIDER_SESSION_CLAIMS),
  };
}

function providerSettings(settings: TokenEnvironment, issuer: string, algorithms: readonly TokenAlgorithm[] | undefined, issues: string[]): TokenSettings {
  if (!settings.TOKEN_JWKS_URL) {
    issues.push(
      `TOKEN_JWKS_URL: obligatoire quand TOKEN_ISSUER (${issuer}) n'est pas l'identité du portail (${TOKEN_ISSUER}), à moins de donner OIDC_DISCOVERY_URL`,
    );
  }
  if (!settings.TOKEN_AUDIENCE) issues.push(audienceRequired(`TOKEN_ISSUER=${issuer}`));
  return {
    kind: 'provider',
    jwksUrl: settings.TOKEN_JWKS_URL ?? '',
    acceptance: {
      issuer,
      audience: settings.TOKEN_AUDIENCE ?? '',
      algorithms: algorithms ?? PROVIDER_DEFAULT_ALGORITHMS,
      claims: claimNames(settings, PROVIDER_SESSION_CLAIMS),
    },
  };
}

// Without an audience of its own, the gateway would take any token the provider issues for any
// of its applications.
const audienceRequired = (because: string) =>
  `TOKEN_AUDIENCE: obligatoire avec ${because} : l'audience (aud) des jetons émis pour cette API, sans quoi un jeton émis pour toute autre application du fournisseur serait accepté`;

function claimNames(settings: TokenEnvironment, sessionId: readonly string[]): ClaimNames {
  return {
    roles: settings.TOKEN_ROLES_CLAIM ?? IDENTITY_CLAIMS.roles,
    organization: settings.TOKEN_ORGANIZATION_CLAIM ?? IDENTITY_CLAIMS.organization,
    direction: settings.TOKEN_DIRECTION_CLAIM ?? IDENTITY_CLAIMS.direction,
    sessionId,
  };
}

function readAlgorithms(value: string, issues: string[]): TokenAlgorithm[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const refused = names.filter((name) => !isAcceptableAlgorithm(name));
  if (names.length === 0 || refused.length > 0) {
    const which = refused.length > 0 ? `${refused.map((name) => `« ${name} »`).join(', ')} refusé${refused.length > 1 ? 's' : ''}` : 'liste vide';
    issues.push(`TOKEN_ALGORITHMS: ${which} ; acceptés : ${ACCEPTABLE_ALGORITHMS.join(', ')} (jamais none ni HS*, à secret partagé)`);
  }
  return names.filter(isAcceptableAlgorithm);
}
