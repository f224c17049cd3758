import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { FIRM_USERS_PATH, GEOGRAPHY_PATH, type FirmUser, type GeographyAnswer } from '../auth/directory-client';
import { RIGHTS_PATH, type ServiceRight } from '../auth/rights-client';
import { SESSION_STATUS_PATH, type SessionKey } from '../auth/session-status';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '../auth/token-verifier';

export interface TestViewerClaims {
  userId: string;
  organizationId: string;
  roles?: string[];
  direction?: string;
  sessionId?: string;
  passwordChangeRequired?: boolean;
  /** Seconds from now; negative for an already expired token. */
  expiresIn?: number;
  /** When "now" is for the token's dates: a test clock's now; by default the wall clock's. */
  now?: Date;
}

export interface TestTokenIssuer {
  jwksUrl: string;
  /** A stand-in for the services subgraph's decision point, answering from `grant`. */
  rightsUrl: string;
  /** A stand-in for identity's directory of firm users, answering from `registerFirmUser`. */
  directoryUrl: string;
  /** Gives a user a right the stand-in decision point will report. */
  grant(userId: string, right: Omit<ServiceRight, 'validUntil'>): void;
  /** Makes a staff member's direction the owner of a service, as the decision point reports it. */
  administer(userId: string, serviceId: string): void;
  /** Lists a firm's user in the stand-in directory under their clicSÉQUR code (of a firme-conseil unless told). */
  registerFirmUser(code: string, user: Omit<FirmUser, 'organizationKind'> & Partial<Pick<FirmUser, 'organizationKind'>>): void;
  /** Places a municipal body in an administrative region of the stand-in directory's geography (R5). */
  placeInRegion(organizationId: string, administrativeRegion: string | null): void;
  /** Takes every right away from a user, and the services their direction owned (staff moved to another direction). */
  revokeAll(userId: string): void;
  /** Ends a session: the stand-in session state reports it ended from now on (every other one is live). */
  endSession(sessionId: string): void;
  /** How many times the stand-in decision point was asked. */
  rightsCalls(): number;
  /** An access token signed like identity's, for the claims given. */
  mint(claims: TestViewerClaims): Promise<string>;
  close(): Promise<void>;
}

/**
 * A stand-in for identity's key publication in subgraph-tier tests: a real ES256 key pair whose
 * JWKS is served over loopback HTTP, so the subgraph under test verifies tokens exactly as in
 * production. End-to-end tests use the real identity subgraph instead.
 */
export async function startTestTokenIssuer(): Promise<TestTokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { extractable: true });
  const kid = randomUUID();
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: TOKEN_ALGORITHM, use: 'sig' }] });
  const rights = new Map<string, ServiceRight[]>();
  const administered = new Map<string, string[]>();
  const firmUsers = new Map<string, FirmUser>();
  const regions = new Map<string, string | null>();
  const endedSessions = new Set<string>();
  let calls = 0;
  // Each route answers from the verified caller's id; null means 404.
  const responderFor = (url = ''): ((callerId: string) => unknown) | undefined => {
    if (url === RIGHTS_PATH) {
      calls += 1;
      return (callerId) => ({
        userId: callerId,
        rights: rights.get(callerId) ?? [],
        administeredServiceIds: administered.get(callerId) ?? [],
      });
    }
    if (url.startsWith(`${FIRM_USERS_PATH}/`)) {
      const code = decodeURIComponent(url.slice(FIRM_USERS_PATH.length + 1));
      return () => firmUsers.get(code) ?? null;
    }
    if (url === GEOGRAPHY_PATH) {
      return (): GeographyAnswer => ({ bodies: [...regions].map(([organizationId, administrativeRegion]) => ({ organizationId, administrativeRegion, mrcId: null })) });
    }
    return undefined;
  };
  const server: Server = createServer((request, response) => {
    if (request.url === SESSION_STATUS_PATH) {
      answerSessionStatus(request, response, endedSessions);
      return;
    }
    const respond = responderFor(request.url);
    if (!respond) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
      return;
    }
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    jwtVerify(token, publicKey).then(
      ({ payload }) => {
        const body = respond(String(payload.sub));
        if (body === null) response.writeHead(404).end();
        else {
          const json = JSON.stringify(body);
          response.writeHead(200, { 'content-type': 'application/json', etag: `"${createHash('sha256').update(json).digest('base64url')}"` }).end(json);
        }
      },
      () => response.writeHead(401).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    rightsUrl: `http://127.0.0.1:${port}${RIGHTS_PATH}`,
    directoryUrl: `http://127.0.0.1:${port}${FIRM_USERS_PATH}`,
    grant: (userId, right) => rights.set(userId, [...(rights.get(userId) ?? []), { ...right, validUntil: null }]),
    administer: (userId, serviceId) => administered.set(userId, [...(administered.get(userId) ?? []), serviceId]),
    registerFirmUser: (code, user) => firmUsers.set(code, { organizationKind: 'CONSULTING_FIRM', ...user }),
    placeInRegion: (organizationId, administrativeRegion) => void regions.set(organizationId, administrativeRegion),
    revokeAll: (userId) => {
      rights.delete(userId);
      administered.delete(userId);
    },
    endSession: (sessionId) => void endedSessions.add(sessionId),
    rightsCalls: () => calls,
    mint: (claims) => signTestToken(privateKey, kid, claims),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Identity's session state, as the stand-in keeps it: every session is live until ended. */
function answerSessionStatus(request: IncomingMessage, response: ServerResponse, ended: ReadonlySet<string>): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const { sessions } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { sessions: SessionKey[] };
    const live = sessions.map((session) => session.sessionId).filter((id) => !ended.has(id));
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ live }));
  });
}

/** Signs a token with any key: tests use it for tokens signed by a key nobody publishes, too. */
export async function signTestToken(key: CryptoKey, kid: string, claims: TestViewerClaims): Promise<string> {
  const now = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  return new SignJWT({
    org: claims.organizationId,
    roles: claims.roles ?? [],
    sid: claims.sessionId ?? randomUUID(),
    ...(claims.direction ? { dir: claims.direction } : {}),
    ...(claims.passwordChangeRequired ? { pcr: true } : {}),
  })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.userId)
    .setIssuedAt(now - 5)
    .setExpirationTime(now + (claims.expiresIn ?? 300))
    .sign(key);
}
