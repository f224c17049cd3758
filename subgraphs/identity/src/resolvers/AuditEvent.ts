import { currentActor } from '../actor';
import type { AuditEventResolvers } from '../generated/resolvers-types';
import { maySeeUser } from '../policy';

/**
 * The kit's shared AuditEvent (schema/audit.graphql). Identity owns `User`: the actor is the user
 * themselves when the viewer may see them (R20), else null, as for any user reference. The
 * other fields are the record's as they are (DateTime and JSONObject serialize them).
 */
export const AuditEvent = {
  actor: async (event, _, context) => {
    const [actor, user] = await Promise.all([currentActor(context), context.loaders.userById.load(event.actorUserId)]);
    return user && maySeeUser(actor, user) ? user : null;
  },
} satisfies AuditEventResolvers;
