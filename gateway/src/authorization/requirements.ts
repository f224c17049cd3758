import { IdentityRole, type Authentication, type Viewer } from '@pgamr/kit/auth';
import { ErrorCode } from '@pgamr/kit/errors';
import type { Requirement } from './schema-policies';

/** Why the gateway refuses a field, from the most to the least fundamental: codes of the kit's catalog. */
export const Denial = {
  Unauthenticated: ErrorCode.Unauthenticated,
  PasswordChangeRequired: ErrorCode.PasswordChangeRequired,
  Forbidden: ErrorCode.Forbidden,
} as const;
export type Denial = (typeof Denial)[keyof typeof Denial];

/** The identity roles an access token carries, usable as scopes. */
export const ROLE_SCOPES: readonly string[] = Object.values(IdentityRole);

/** `direction:DNIFF`: a staff member of that ministry direction. */
const DIRECTION_SCOPE = /^direction:[A-Z0-9-]+$/;

/** A scope the gateway can grant. Anything else in the schema is a typo that would deny everyone. */
export const isKnownScope = (scope: string): boolean => ROLE_SCOPES.includes(scope) || DIRECTION_SCOPE.test(scope);

/** The scopes a verified token grants: its roles, and its direction for ministry staff. */
export function scopesOf(viewer: Viewer): Set<string> {
  const scopes = new Set(viewer.roles.filter((role) => ROLE_SCOPES.includes(role)));
  if (viewer.direction && viewer.roles.includes(IdentityRole.MinistryStaff)) scopes.add(`direction:${viewer.direction}`);
  return scopes;
}

interface Policy {
  holds(viewer: Viewer): boolean;
  denial: Denial;
}

/**
 * The named policies of `@policy`, decided from the token alone. Rules that depend on a record
 * (rights, mandates, ownership) stay in the subgraphs, which know the record.
 */
export const POLICIES: Readonly<Record<string, Policy>> = {
  /** R1: a user signed in with a temporary password may only set a personal one (or sign out). */
  personal_password: { holds: (viewer) => !viewer.passwordChangeRequired, denial: Denial.PasswordChangeRequired },
};

export const isKnownPolicy = (policy: string): boolean => Object.hasOwn(POLICIES, policy);

/** The policy of that name, or undefined for a name the gateway does not know. */
const policyNamed = (name: string): Policy | undefined => (isKnownPolicy(name) ? POLICIES[name] : undefined);

/** Why `auth` does not meet `requirement`, or undefined when it does. Unknown names never hold. */
export function denialOf(requirement: Requirement, auth: Authentication): Denial | undefined {
  if (auth.status !== 'authenticated') return Denial.Unauthenticated;
  const { viewer } = auth;
  switch (requirement.kind) {
    case 'authenticated':
      return undefined;
    case 'scopes': {
      const granted = scopesOf(viewer);
      return requirement.anyOf.some((group) => group.every((scope) => granted.has(scope))) ? undefined : Denial.Forbidden;
    }
    case 'policies': {
      if (requirement.anyOf.some((group) => group.every((name) => policyNamed(name)?.holds(viewer) === true))) return undefined;
      const failing = requirement.anyOf.flat().find((name) => policyNamed(name)?.holds(viewer) !== true);
      return (failing === undefined ? undefined : policyNamed(failing))?.denial ?? Denial.Forbidden;
    }
  }
}
