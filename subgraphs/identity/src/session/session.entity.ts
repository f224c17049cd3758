import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import type { User } from '../user/user.entity';

/** One sign-in: its refresh tokens rotate, the session id stays (`sid` in access tokens). */
export class Session {
  [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  user!: Ref<User>;
  createdAt: Date = new Date();
  expiresAt!: Date;
  revokedAt?: Date | null;
  revokedReason?: string | null;
}

/** An opaque refresh token, stored only as its SHA-256; single use (rotated), reuse revokes the session. */
export class RefreshToken {
  [OptionalProps]?: 'id' | 'createdAt';
  id: string = randomUUID();
  session!: Ref<Session>;
  tokenHash!: string;
  createdAt: Date = new Date();
  expiresAt!: Date;
  usedAt?: Date | null;
}

/** Failed sign-ins per typed code, known or not, so that a lockout never reveals whether a code exists (R6). */
export class SignInAttempt {
  [OptionalProps]?: 'failedCount';
  code!: string;
  failedCount: number = 0;
  lockedUntil?: Date | null;
  lastFailureAt?: Date | null;
}

export const SessionSchema = new EntitySchema<Session>({
  class: Session,
  tableName: 'session',
  properties: {
    id: { type: 'uuid', primary: true },
    user: { kind: 'm:1', entity: 'User', ref: true, index: true },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    revokedAt: { type: 'datetime', nullable: true },
    revokedReason: { type: 'string', length: 40, nullable: true },
  },
});

export const RefreshTokenSchema = new EntitySchema<RefreshToken>({
  class: RefreshToken,
  tableName: 'refresh_token',
  properties: {
    id: { type: 'uuid', primary: true },
    session: { kind: 'm:1', entity: 'Session', ref: true, index: true, deleteRule: 'cascade' },
    tokenHash: { type: 'string', length: 64, unique: true },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    usedAt: { type: 'datetime', nullable: true },
  },
});

export const SignInAttemptSchema = new EntitySchema<SignInAttempt>({
  class: SignInAttempt,
  tableName: 'sign_in_attempt',
  properties: {
    code: { type: 'string', length: 64, primary: true },
    failedCount: { type: 'integer' },
    lockedUntil: { type: 'datetime', nullable: true },
    lastFailureAt: { type: 'datetime', nullable: true },
  },
});
