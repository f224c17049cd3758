import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

/** What a token of the test provider says; anything left out takes the provider's usual value. */
export interface ProviderTokenClaims {
  subject?: string;
  issuer?: string;
  audience?: string | string[];
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Signed with a key the provider never publishes. */
  unpublishedKey?: boolean;
  /** Every other claim, as the provider would put it (Keycloak's `realm_access`, `organization`…). */
  claims?: Record<string, unknown>;
}

export interface TestOidcProvider {
  /** `<issuer>/.well-known/openid-configuration`. */
  discoveryUrl: string;
  issuer: string;
  /** Whether the discovery document and the key set answer (else 503). */
  setDiscoveryUp(up: boolean): void;
  setKeySetUp(up: boolean): void;
  /** The issuer the discovery document names, in place of its own (a provider mixed up with another). */
  setAnnouncedIssuer(issuer: string): void;
  /** Adds a new signing key, published at once; tokens are signed with it from now on. */
  rotateKey(): Promise<void>;
  /** An RS256 access token, signed with the current key. */
  mint(claims?: ProviderTokenClaims): Promise<string>;
  close(): Promise<void>;
}

const ALGORITHM = 'RS256';
const REALM_PATH = '/realms/mtmd';
const KEYS_PATH = `${REALM_PATH}/protocol/openid-connect/certs`;

/**
 * A tiny OpenID Connect provider on loopback, shaped like a Keycloak realm: a discovery document
 * and a key set over HTTP, RS256 keys (what most providers sign with), and tokens minted in
 * process. Either route can be made to fail, as an outage of the provider would.
 */
export async function startTestOidcProvider(): Promise<TestOidcProvider> {
  const signingKeys: Array<{ kid: string; privateKey: CryptoKey; publicJwk: object }> = [];
  const unpublished = await generateKeyPair(ALGORITHM);
  let discoveryUp = true;
  let keySetUp = true;
  let announcedIssuer: string | undefined;
  const server: Server = createServer((request, response) => {
    const json = (body: unknown) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === `${REALM_PATH}/.well-known/openid-configuration` && discoveryUp) {
      json({
        issuer: announcedIssuer ?? issuer,
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        jwks_uri: `${origin}${KEYS_PATH}`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        // Providers list HS256 and none too: the gateway never takes them.
        id_token_signing_alg_values_supported: ['HS256', 'none', 'RS256', 'ES256'],
      });
    } else if (request.url === KEYS_PATH && keySetUp) {
      json({ keys: signingKeys.map((key) => key.publicJwk) });
    } else {
      response.writeHead(request.url?.startsWith(REALM_PATH) ? 503 : 404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${origin}${REALM_PATH}`;

  const rotateKey = async () => {
    const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const kid = randomUUID();
    signingKeys.push({ kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALGORITHM, use: 'sig' } });
  };
  await rotateKey();

  return {
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    issuer,
    setDiscoveryUp: (up) => void (discoveryUp = up),
    setKeySetUp: (up) => void (keySetUp = up),
    setAnnouncedIssuer: (announced) => void (announcedIssuer = announced),
    rotateKey,
    mint: async (token = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const current = signingKeys.at(-1)!;
      return new SignJWT({ typ: 'Bearer', azp: 'portail-mtmd', sid: randomUUID(), ...token.claims })
        .setProtectedHeader({ alg: ALGORITHM, kid: token.unpublishedKey ? randomUUID() : current.kid, typ: 'JWT' })
        .setIssuer(token.issuer ?? issuer)
        .setAudience(token.audience ?? 'pgamr-gateway')
        .setSubject(token.subject ?? randomUUID())
        .setIssuedAt(now - 5)
        .setExpirationTime(now + (token.expiresIn ?? 300))
        .setJti(randomUUID())
        .sign(token.unpublishedKey ? unpublished.privateKey : current.privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
