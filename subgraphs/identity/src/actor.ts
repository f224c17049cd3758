import { domainError, ErrorCode, requireViewer, type Viewer } from '@pgamr/kit';
import type { IdentityContext } from './context';
import type { Organization } from './organization/organization.entity';
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
  const [user, session] = await Promise.all([
    context.loaders.userById.load(viewer.userId),
    context.loaders.sessionById.load(viewer.sessionId),
  ]);
  const sessionOpen = session && !session.revokedAt && session.expiresAt > context.clock.now() && session.user.id === viewer.userId;
  if (!user || user.status !== UserStatus.Active || !sessionOpen) {
    throw domainError(ErrorCode.Unauthenticated, "Votre session n'est plus valide. Veuillez vous authentifier de nouveau.");
  }
  const organization = await context.loaders.organizationById.load(user.organization.id);
  return { viewer, user, organization: organization! };
}
