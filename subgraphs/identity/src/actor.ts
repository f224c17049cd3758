import { domainError, ErrorCode, isUuid, requireViewer, type Viewer } from '@pgamr/kit';
import type { IdentityContext } from './context';
import type { Organization } from './organization/organization.entity';
import { Session } from './session/session.entity';
import { UserStatus, type User } from './user/user.entity';

/** The signed-in user as the database sees them now, not as their token remembers them. */
export interface Actor {
  viewer: Viewer;
  user: User;
  organization: Organization;
}

const actors = new WeakMap<IdentityContext, Promise<Actor>>();

/**
 * The acting user, checked against the database once per request: the token must be valid
 * (kit), and its session still open and its user still active, so that sign-out and suspension
 * take effect in identity at once rather than when the access token expires.
 */
export function currentActor(context: IdentityContext, options: { allowPasswordChange?: boolean } = {}): Promise<Actor> {
  const viewer = requireViewer(context.auth, options);
  let actor = actors.get(context);
  if (!actor) {
    actor = loadActor(context, viewer);
    actors.set(context, actor);
  }
  return actor;
}

async function loadActor(context: IdentityContext, viewer: Viewer): Promise<Actor> {
  // The session, its user and the user's organization in one statement; the request's loaders
  // then hold that user and organization, so that resolving them again reads nothing.
  const session = isUuid(viewer.sessionId)
    ? await context.em.findOne(Session, viewer.sessionId, { populate: ['user.organization'], strategy: 'joined' })
    : null;
  const sessionOpen = session && !session.revokedAt && session.expiresAt > context.clock.now() && session.user.id === viewer.userId;
  const user = sessionOpen ? session.user.getEntity() : null;
  if (!user || user.status !== UserStatus.Active) {
    throw domainError(ErrorCode.Unauthenticated, "Votre session n'est plus valide. Veuillez vous authentifier de nouveau.");
  }
  const organization = user.organization.getEntity();
  context.loaders.userById.prime(user.id, user);
  context.loaders.organizationById.prime(organization.id, organization);
  return { viewer, user, organization };
}
