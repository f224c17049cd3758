import { randomInt } from 'node:crypto';
import { badUserInput, conflict, isUuid, notFound, recordAudit } from '@pgamr/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../actor';
import { AuditAction } from '../audit/audit-actions';
import { generateTemporaryPassword, hashPassword } from '../auth/passwords';
import { Organization } from '../organization/organization.entity';
import { ensureMayCreateUsers, ensureMayHaveUsers, ensureMayManageUser } from '../policy';
import { Session } from '../session/session.entity';
import type { IdentitySettings } from '../settings';
import { validateProfile, userSnapshot, type UserProfile } from './user-input';
import { User, UserStatus } from './user.entity';
import { announceSessionEnded } from '../session/session-ended';

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A fresh clicSÉQUR code; users are never deleted, so a code once given is never given again. */
async function newClicSequrCode(em: EntityManager): Promise<string> {
  for (;;) {
    const code = `CS${Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('')}`;
    if ((await em.count(User, { clicSequrCode: code })) === 0) return code;
  }
}

export interface UserWithTemporaryPassword {
  user: User;
  temporaryPassword: string;
}

async function withTemporaryPassword(user: User, settings: IdentitySettings, now: Date): Promise<string> {
  const temporaryPassword = generateTemporaryPassword();
  user.passwordHash = await hashPassword(temporaryPassword);
  user.passwordIsTemporary = true;
  user.temporaryPasswordExpiresAt = new Date(now.getTime() + settings.temporaryPasswordTtlDays * 86_400_000);
  return temporaryPassword;
}

/** Creates a user with a temporary password in a registered organization (R1, R3). */
export async function createUserIn(
  em: EntityManager,
  organization: Organization,
  input: UserProfile & { isRse?: boolean | null },
  settings: IdentitySettings,
  now: Date,
  path = 'input',
): Promise<UserWithTemporaryPassword> {
  ensureMayHaveUsers(organization);
  const profile = validateProfile(input, path);
  const user = em.create(User, {
    ...profile,
    clicSequrCode: await newClicSequrCode(em),
    organization,
    isRse: input.isRse ?? false,
    passwordHash: '',
  });
  const temporaryPassword = await withTemporaryPassword(user, settings, now);
  return { user, temporaryPassword };
}

/** R2: an RSÉ creates a user in their own organization. */
export async function createUser(
  em: EntityManager,
  actor: Actor,
  input: UserProfile & { isRse?: boolean | null },
  settings: IdentitySettings,
  now: Date,
): Promise<UserWithTemporaryPassword> {
  ensureMayCreateUsers(actor);
  return em.transactional(async (tx) => {
    const organization = await tx.findOneOrFail(Organization, actor.organization.id);
    const created = await createUserIn(tx, organization, input, settings, now);
    await tx.flush();
    recordAudit(tx, actor.viewer, {
      action: AuditAction.UserCreated,
      organizationId: organization.id,
      targetType: 'User',
      targetId: created.user.id,
      after: { ...userSnapshot(created.user), clicSequrCode: created.user.clicSequrCode },
    });
    return created;
  });
}

/** A user the actor may manage (R2), or not found, or refused; loaded inside the transaction. */
async function managedUser(em: EntityManager, actor: Actor, userId: string): Promise<User> {
  const user = isUuid(userId) ? await em.findOne(User, userId) : null;
  if (!user) throw notFound("Cet utilisateur n'existe pas.");
  ensureMayManageUser(actor, user);
  return user;
}

async function revokeSessions(em: EntityManager, userId: string, reason: 'SUSPENDED' | 'PASSWORD_RESET', now: Date): Promise<void> {
  const ended = await em.nativeUpdate(Session, { user: userId, revokedAt: null }, { revokedAt: now, revokedReason: reason });
  if (ended > 0) announceSessionEnded(em, { userId, sessionId: null, reason });
}

/** Applies a change to a user and audits it with the user before and after, in the caller's transaction (R21). */
function changeUser(
  em: EntityManager,
  actor: Actor,
  user: User,
  action: AuditAction,
  change: (user: User) => void,
  note: Record<string, unknown> = {},
): User {
  const before = userSnapshot(user);
  change(user);
  recordAudit(em, actor.viewer, {
    action,
    organizationId: user.organization.id,
    targetType: 'User',
    targetId: user.id,
    before,
    after: { ...userSnapshot(user), ...note },
  });
  return user;
}

/** R2: an RSÉ changes another user's profile; users do not edit their own. */
export function updateUserProfile(em: EntityManager, actor: Actor, userId: string, input: UserProfile): Promise<User> {
  const profile = validateProfile(input);
  return em.transactional(async (tx) => {
    const user = await managedUser(tx, actor, userId);
    return changeUser(tx, actor, user, AuditAction.UserProfileChanged, (u) => Object.assign(u, profile));
  });
}

/** R1, R2: a new temporary password, shown once; the user's open sessions end. */
export function resetTemporaryPassword(
  em: EntityManager,
  actor: Actor,
  userId: string,
  settings: IdentitySettings,
  now: Date,
): Promise<UserWithTemporaryPassword> {
  return em.transactional(async (tx) => {
    const user = await managedUser(tx, actor, userId);
    const temporaryPassword = await withTemporaryPassword(user, settings, now);
    await revokeSessions(tx, user.id, 'PASSWORD_RESET', now);
    recordAudit(tx, actor.viewer, {
      action: AuditAction.TemporaryPasswordReset,
      organizationId: user.organization.id,
      targetType: 'User',
      targetId: user.id,
    });
    return { user, temporaryPassword };
  });
}

const MAX_SUSPENSION_REASON_LENGTH = 500;

/** R2: an RSÉ suspends another user, another RSÉ included, but never the last active RSÉ. */
export function suspendUser(em: EntityManager, actor: Actor, userId: string, reason: string, now: Date): Promise<User> {
  // The schema's limit, which the kit's input validation already holds every request to: a
  // reason is kept whole in the audit trail or refused, never cut.
  const suspensionReason = reason.trim();
  if ([...suspensionReason].length > MAX_SUSPENSION_REASON_LENGTH) {
    return Promise.reject(
      badUserInput(`Le motif de la suspension compte au plus ${MAX_SUSPENSION_REASON_LENGTH} caractères.`, { field: 'input.reason' }),
    );
  }
  return em.transactional(async (tx) => {
    const user = await managedUser(tx, actor, userId);
    if (user.status === UserStatus.Suspended) throw conflict('Cet utilisateur est déjà suspendu.');
    if (user.isRse) {
      // Lock the organization's RSÉ rows so two RSÉ cannot suspend each other at once.
      const activeRse = await tx.find(
        User,
        { organization: user.organization.id, isRse: true, status: UserStatus.Active },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (activeRse.length <= 1) throw conflict("Impossible de suspendre le dernier RSÉ actif de l'organisation.");
    }
    await revokeSessions(tx, user.id, 'SUSPENDED', now);
    return changeUser(tx, actor, user, AuditAction.UserSuspended, (u) => (u.status = UserStatus.Suspended), { reason: suspensionReason });
  });
}

/** R2: an RSÉ reactivates a suspended user of their organization. */
export function reactivateUser(em: EntityManager, actor: Actor, userId: string): Promise<User> {
  return em.transactional(async (tx) => {
    const user = await managedUser(tx, actor, userId);
    if (user.status === UserStatus.Active) throw conflict('Cet utilisateur est déjà actif.');
    return changeUser(tx, actor, user, AuditAction.UserReactivated, (u) => (u.status = UserStatus.Active));
  });
}
