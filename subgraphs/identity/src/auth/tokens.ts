import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IdentityRole, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER, type AccessTokenClaims } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { OrganizationKind, type Organization } from '../organization/organization.entity';
import type { User } from '../user/user.entity';
import type { SigningKeyStore } from './signing-keys';

/** The roles identity vouches for in a token; services and mandates own theirs. */
export function identityRoles(user: User, organization: Organization): string[] {
  const roles: string[] = [];
  if (user.isRse) roles.push(IdentityRole.Rse);
  if (organization.kind === OrganizationKind.Ministry && user.direction) roles.push(IdentityRole.MinistryStaff);
  if (organization.kind === OrganizationKind.ClicSequrCustomerService) roles.push(IdentityRole.CseAgent);
  return roles;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** A short-lived ES256 access token with a `kid`, for one session. */
export async function issueAccessToken(
  em: EntityManager,
  keys: SigningKeyStore,
  subject: { user: User; organization: Organization; sessionId: string },
  ttlSeconds: number,
  now: Date,
): Promise<IssuedAccessToken> {
  const { kid, key } = await keys.signingKey(em);
  const issuedAt = Math.floor(now.getTime() / 1000);
  const expiresAt = issuedAt + ttlSeconds;
  const claims: Omit<AccessTokenClaims, 'iss' | 'aud' | 'sub' | 'iat' | 'exp' | 'jti'> = {
    org: subject.organization.id,
    roles: identityRoles(subject.user, subject.organization),
    sid: subject.sessionId,
    ...(subject.user.direction ? { dir: subject.user.direction } : {}),
    ...(subject.user.passwordIsTemporary ? { pcr: true } : {}),
  };
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid, typ: 'at+jwt' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(subject.user.id)
    .setJti(randomUUID())
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
  return { token, expiresAt: new Date(expiresAt * 1000) };
}

/** A new opaque refresh token: 256 random bits. Only its hash is stored. */
export const newRefreshToken = (): string => randomBytes(32).toString('base64url');

export const hashRefreshToken = (token: string): string => createHash('sha256').update(token).digest('hex');
