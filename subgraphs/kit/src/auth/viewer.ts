import type { IdentityRole } from '../catalog/vocabulary';
import { domainError, ErrorCode, serviceUnavailable } from '../errors';

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

/**
 * What a request's `Authorization` header proves. `rejected` is a token that is no longer good,
 * whatever the way (bad signature, expired, its session ended by sign-out, suspension, password
 * reset or refresh-token reuse), or any token at all where none is accepted (`unaccepted`: a
 * gateway configured with `TOKEN_ISSUER=none`); `unavailable` means it could not be told, because identity's key
 * set or session state did not answer: an outage, never reported as a bad token.
 */
export type Authentication =
  | { status: 'anonymous' }
  | { status: 'authenticated'; viewer: Viewer; token: string }
  | { status: 'rejected'; reason: 'expired' | 'invalid' | 'ended' | 'unaccepted' }
  | { status: 'unavailable' };

const UNAUTHENTICATED_MESSAGES = {
  anonymous: 'Vous devez vous authentifier pour effectuer cette opération.',
  expired: 'Votre session a expiré. Veuillez vous authentifier de nouveau.',
  invalid: "Le jeton d'accès présenté est invalide. Veuillez vous authentifier de nouveau.",
  ended: 'Votre session est terminée. Veuillez vous authentifier de nouveau.',
  unaccepted: "Ce service n'accepte aucun jeton d'accès : envoyez la requête sans en-tête Authorization.",
} as const;

/** How long a caller is asked to wait when identity could not tell whether a token is good. */
export const AUTHENTICATION_RETRY_AFTER_SECONDS = 5;

/**
 * The error for an authentication that is not a signed-in user: UNAUTHENTICATED, or
 * SERVICE_UNAVAILABLE when identity could not answer. Inside a response it is a field error
 * (HTTP 200, partial data); a hop that refuses the whole request passes `wholeRequest`, which
 * sets HTTP 401 (503 for an outage).
 */
export function unauthenticated(auth: Exclude<Authentication, { status: 'authenticated' }>, wholeRequest = false) {
  if (auth.status === 'unavailable') {
    return serviceUnavailable({ retryAfterSeconds: AUTHENTICATION_RETRY_AFTER_SECONDS, wholeRequest });
  }
  const message = UNAUTHENTICATED_MESSAGES[auth.status === 'anonymous' ? 'anonymous' : auth.reason];
  return domainError(ErrorCode.Unauthenticated, message, wholeRequest ? { http: { status: 401 } } : {});
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
