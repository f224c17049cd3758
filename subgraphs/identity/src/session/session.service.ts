import { badUserInput, domainError, ErrorCode, type Clock } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../actor';
import { decoyPasswordHash, hashPassword, meetsPasswordPolicy, PASSWORD_POLICY_MESSAGE, verifyPassword } from '../auth/passwords';
import type { SigningKeyStore } from '../auth/signing-keys';
import { hashRefreshToken, issueAccessToken, newRefreshToken } from '../auth/tokens';
import { Organization } from '../organization/organization.entity';
import { signInRefusal } from '../policy';
import type { IdentitySettings } from '../settings';
import { User, UserStatus } from '../user/user.entity';
import { announceSessionEnded } from './session-ended';
import { RefreshToken, Session, SignInAttempt } from './session.entity';

export interface AuthSessionTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  passwordChangeRequired: boolean;
}

interface Dependencies {
  keys: SigningKeyStore;
  settings: IdentitySettings;
  /** When now is for expiries and lockouts (R6). */
  clock: Clock;
}

/** The sign-in attempts table's key: what a typed code may hold. */
const MAX_TYPED_CODE_LENGTH = 64;
const unauthenticated = (message: string) => domainError(ErrorCode.Unauthenticated, message);
// The same answer whether the code exists or not, and whatever was wrong (R6).
const INVALID_CREDENTIALS = "Code d'utilisateur ou mot de passe invalide.";
const SESSION_ENDED = 'Votre session est terminée. Veuillez vous authentifier de nouveau.';

async function issueTokens(em: EntityManager, deps: Dependencies, user: User, session: Session, now: Date): Promise<AuthSessionTokens> {
  const organization = await em.findOneOrFail(Organization, user.organization.id);
  const refreshToken = newRefreshToken();
  const refreshExpiresAt = new Date(Math.min(now.getTime() + deps.settings.refreshTokenTtlSeconds * 1000, session.expiresAt.getTime()));
  em.create(RefreshToken, { session, tokenHash: hashRefreshToken(refreshToken), expiresAt: refreshExpiresAt });
  await em.flush();
  const access = await issueAccessToken(em, deps.keys, { user, organization, sessionId: session.id }, deps.settings.accessTokenTtlSeconds, now);
  return {
    accessToken: access.token,
    accessTokenExpiresAt: access.expiresAt,
    refreshToken,
    refreshTokenExpiresAt: refreshExpiresAt,
    passwordChangeRequired: user.passwordIsTemporary,
  };
}

/**
 * R1, R6: signs in with a clicSÉQUR code and password. Failures are counted per typed code,
 * known or not, and lock it for a while past the threshold; the answer never says which of the
 * code or the password was wrong.
 */
export async function signIn(em: EntityManager, deps: Dependencies, typedCode: string, password: string): Promise<AuthSessionTokens> {
  // A code longer than any the lockout table keeps (the schema's limit, which the kit's input
  // validation holds every request to) is refused, never cut: cut, it would count failures
  // against another code. Its length says nothing of whether a code exists (R6).
  const code = typedCode.trim().toUpperCase();
  if ([...code].length > MAX_TYPED_CODE_LENGTH) {
    throw badUserInput(`Le code d'utilisateur compte au plus ${MAX_TYPED_CODE_LENGTH} caractères.`, { field: 'input.clicSequrCode' });
  }
  const now = deps.clock.now();
  const attempt = await em.findOne(SignInAttempt, { code });
  if (attempt?.lockedUntil && attempt.lockedUntil > now) {
    // The wait in seconds for the client to act on, like every "try later" of the catalog; in minutes for the user.
    const retryAfterSeconds = Math.max(1, Math.ceil((attempt.lockedUntil.getTime() - now.getTime()) / 1000));
    const minutes = Math.ceil(retryAfterSeconds / 60);
    throw domainError(
      ErrorCode.TooManyAttempts,
      `Trop de tentatives infructueuses. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`,
      { retryAfterSeconds },
    );
  }

  const user = await em.findOne(User, { clicSequrCode: code }, { populate: ['passwordHash'] });
  const valid = await verifyPassword(user?.passwordHash ?? (await decoyPasswordHash()), password);
  if (!user || !valid) {
    await recordFailure(em, code, deps.settings, now);
    throw unauthenticated(INVALID_CREDENTIALS);
  }
  if (attempt) em.remove(attempt);

  const organization = await em.findOneOrFail(Organization, user.organization.id);
  const refusal = signInRefusal(user, organization);
  if (refusal) {
    await em.flush();
    throw refusal;
  }
  if (user.passwordIsTemporary && user.temporaryPasswordExpiresAt && user.temporaryPasswordExpiresAt <= now) {
    await em.flush();
    throw unauthenticated('Votre mot de passe temporaire est expiré. Demandez-en un nouveau au RSÉ de votre organisation.');
  }

  const session = em.create(Session, { user, createdAt: now, expiresAt: new Date(now.getTime() + deps.settings.sessionMaxSeconds * 1000) });
  return issueTokens(em, deps, user, session, now);
}

async function recordFailure(em: EntityManager, code: string, settings: IdentitySettings, now: Date): Promise<void> {
  await em.transactional(async (tx) => {
    const attempt = (await tx.findOne(SignInAttempt, { code })) ?? tx.create(SignInAttempt, { code });
    attempt.failedCount += 1;
    attempt.lastFailureAt = now;
    if (attempt.failedCount >= settings.lockoutThreshold) {
      attempt.lockedUntil = new Date(now.getTime() + settings.lockoutSeconds * 1000);
      attempt.failedCount = 0;
    }
  });
}

/**
 * Trades a refresh token for new tokens. Each refresh token works once; presenting one that was
 * already used means it leaked, so the whole session is revoked.
 */
export async function refreshSession(em: EntityManager, deps: Dependencies, refreshToken: string): Promise<AuthSessionTokens> {
  const stored = await em.findOne(RefreshToken, { tokenHash: hashRefreshToken(refreshToken) }, { populate: ['session'] });
  if (!stored) throw unauthenticated(SESSION_ENDED);
  const session = stored.session.getEntity();
  const now = deps.clock.now();
  if (session.revokedAt || session.expiresAt <= now || stored.expiresAt <= now) throw unauthenticated(SESSION_ENDED);
  // Claim the token atomically: of two concurrent uses, exactly one wins; a second use is reuse.
  const claimed = await em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null }, { usedAt: now });
  if (claimed === 0) {
    await em.nativeUpdate(Session, { id: session.id, revokedAt: null }, { revokedAt: now, revokedReason: 'REFRESH_TOKEN_REUSE' });
    throw unauthenticated(SESSION_ENDED);
  }
  const user = await em.findOneOrFail(User, session.user.id);
  if (user.status !== UserStatus.Active) throw unauthenticated(SESSION_ENDED);
  return issueTokens(em, deps, user, session, now);
}

/** Ends the caller's session: its refresh tokens stop working at once. Returns when it ended. */
export async function signOut(em: EntityManager, actor: Actor, now: Date): Promise<Date> {
  const signedOutAt = now;
  await em.transactional(async (tx) => {
    const ended = await tx.nativeUpdate(Session, { id: actor.viewer.sessionId, revokedAt: null }, { revokedAt: signedOutAt, revokedReason: 'SIGNED_OUT' });
    if (ended > 0) announceSessionEnded(tx, { userId: actor.viewer.userId, sessionId: actor.viewer.sessionId, reason: 'SIGNED_OUT' });
  });
  return signedOutAt;
}

/**
 * R1: sets a personal password (the only operation a temporary password allows). The session's
 * earlier refresh tokens stop working; new tokens come back without the restriction.
 */
export async function changePassword(
  em: EntityManager,
  deps: Dependencies,
  actor: Actor,
  currentPassword: string,
  newPassword: string,
): Promise<AuthSessionTokens> {
  const user = await em.findOneOrFail(User, actor.user.id, { populate: ['passwordHash'] });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw badUserInput('Le mot de passe actuel est inexact.', { field: 'input.currentPassword' });
  }
  if (newPassword === currentPassword) {
    throw badUserInput('Le nouveau mot de passe doit être différent du mot de passe actuel.', { field: 'input.newPassword' });
  }
  if (!meetsPasswordPolicy(newPassword, [user.clicSequrCode, user.givenName, user.familyName])) {
    throw badUserInput(PASSWORD_POLICY_MESSAGE, { field: 'input.newPassword' });
  }
  user.passwordHash = await hashPassword(newPassword);
  user.passwordIsTemporary = false;
  user.temporaryPasswordExpiresAt = null;
  const session = await em.findOneOrFail(Session, actor.viewer.sessionId);
  const now = deps.clock.now();
  await em.nativeUpdate(RefreshToken, { session: session.id, usedAt: null }, { usedAt: now });
  return issueTokens(em, deps, user, session, now);
}
