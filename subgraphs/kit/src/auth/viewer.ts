import { domainError, ErrorCode } from '../errors';

/** Roles the identity subgraph owns and puts in access tokens. Service roles live in services. */
export const IdentityRole = {
  /** Responsable des services électroniques of their organization (R2). */
  Rse: 'RSE',
  /** An agent of a ministry direction; `direction` says which. */
  MinistryStaff: 'MINISTRY_STAFF',
  /** An agent of the clicSÉQUR – Entreprises customer service (R4). */
  CseAgent: 'CSE_AGENT',
} as const;
export type IdentityRole = (typeof IdentityRole)[keyof typeof IdentityRole];

/** Who is calling, as proven by a verified access token. */
export interface Viewer {
  userId: string;
  organizationId: string;
  roles: readonly string[];
  /** The ministry direction of a staff member (DGI, DGOMR, DNIFF, DR-05…). */
  direction?: string;
  sessionId: string;
  /** R1: signed in with a temporary password; may only set a personal one. */
  passwordChangeRequired: boolean;
}

export type Authentication =
  | { status: 'anonymous' }
  | { status: 'authenticated'; viewer: Viewer; token: string }
  | { status: 'rejected'; reason: 'expired' | 'invalid' };

const UNAUTHENTICATED_MESSAGES = {
  anonymous: 'Vous devez vous authentifier pour effectuer cette opération.',
  expired: 'Votre session a expiré. Veuillez vous authentifier de nouveau.',
  invalid: "Le jeton d'accès présenté est invalide. Veuillez vous authentifier de nouveau.",
} as const;

/**
 * The UNAUTHENTICATED error for an authentication that is not a signed-in user. Inside a
 * response it is a field error (HTTP 200, partial data); the gateway's edge, which refuses the
 * whole request, passes `httpStatus: 401`.
 */
export function unauthenticated(auth: Exclude<Authentication, { status: 'authenticated' }>, httpStatus?: number) {
  const message = UNAUTHENTICATED_MESSAGES[auth.status === 'anonymous' ? 'anonymous' : auth.reason];
  return domainError(ErrorCode.Unauthenticated, message, httpStatus ? { http: { status: httpStatus } } : {});
}

/**
 * The signed-in user, or an UNAUTHENTICATED error. Deny by default: a user who still holds a
 * temporary password gets PASSWORD_CHANGE_REQUIRED everywhere except where the caller allows it
 * (setting the personal password, R1).
 */
export function requireViewer(auth: Authentication, options: { allowPasswordChange?: boolean } = {}): Viewer {
  if (auth.status !== 'authenticated') throw unauthenticated(auth);
  if (auth.viewer.passwordChangeRequired && !options.allowPasswordChange) {
    throw domainError(
      ErrorCode.PasswordChangeRequired,
      'Vous devez choisir un mot de passe personnel avant de poursuivre.',
    );
  }
  return auth.viewer;
}

export const hasRole = (viewer: Viewer, role: IdentityRole): boolean => viewer.roles.includes(role);
