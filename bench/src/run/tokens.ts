import { randomUUID } from 'node:crypto';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@pgamr/kit/auth';
import { importJWK, SignJWT, type JWK } from 'jose';
import { withDatabase } from './databases';
import type { Viewer } from './manifest';

/** A bench user's access token, as identity would issue it at sign-in. */
export interface MintedToken {
  viewer: Viewer;
  sessionId: string;
  token: string;
}

/**
 * Mints real access tokens for `viewers`, signed with identity's newest active key read from its
 * database, so the gateways and subgraphs verify them against identity's published JWKS like any
 * other. Identity checks the token's session on each request (sign-out takes effect at once), so
 * each user also gets an open session row; `revoke` deletes them after the bench.
 */
export async function mintTokens(identityUrl: string, viewers: readonly Viewer[], lifetimeSeconds: number) {
  const expiresAt = new Date(Date.now() + lifetimeSeconds * 1000);
  const sessions = viewers.map((viewer) => ({ viewer, sessionId: randomUUID() }));
  const { kid, privateJwk } = await withDatabase(identityUrl, async (client) => {
    const { rows } = await client.query<{ kid: string; private_jwk: JWK }>(
      `select kid, private_jwk from signing_key
        where activates_at <= now() and (retires_at is null or retires_at > now())
        order by activates_at desc limit 1`,
    );
    if (!rows[0]) throw new Error('identity has no active signing key: start the identity subgraph on its database once');
    // Same rows as identity's sign-in writes: a session per user, open until the bench ends.
    for (let start = 0; start < sessions.length; start += 5000) {
      const batch = sessions.slice(start, start + 5000);
      await client.query(
        `insert into session (id, user_id, created_at, expires_at)
         select unnest($1::uuid[]), unnest($2::uuid[]), now(), $3`,
        [batch.map((s) => s.sessionId), batch.map((s) => s.viewer.userId), expiresAt],
      );
    }
    return { kid: rows[0].kid, privateJwk: rows[0].private_jwk };
  });
  const key = await importJWK(privateJwk, TOKEN_ALGORITHM);
  const issuedAt = Math.floor(Date.now() / 1000);
  const tokens: MintedToken[] = [];
  for (const { viewer, sessionId } of sessions) {
    const token = await new SignJWT({
      org: viewer.organizationId,
      roles: viewer.roles,
      sid: sessionId,
      ...(viewer.direction ? { dir: viewer.direction } : {}),
    })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'at+jwt' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(viewer.userId)
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(key);
    tokens.push({ viewer, sessionId, token });
  }
  return {
    tokens: new Map(tokens.map((minted) => [minted.viewer.userId, minted])),
    /** Deletes the sessions this bench opened. */
    revoke: () =>
      withDatabase(identityUrl, async (client) => {
        await client.query('delete from session where id = any($1::uuid[])', [sessions.map((s) => s.sessionId)]);
      }),
  };
}
