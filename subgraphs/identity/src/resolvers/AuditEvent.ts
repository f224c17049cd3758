import type { AuditEvent as AuditEventRecord } from '@pgamr/kit';
import { currentActor } from '../actor';
import type { IdentityContext } from '../context';
import { maySeeUser } from '../policy';

/**
 * The kit's shared AuditEvent (schema/audit.graphql). Identity owns `User`: the actor is the user
 * themselves when the viewer may see them (R20), else null, as for any user reference. The
 * other fields are the record's as they are (DateTime and JSONObject serialize them).
 */
export const AuditEvent = {
  actor: async (event: AuditEventRecord, _: unknown, context: IdentityContext) => {
    const [actor, user] = await Promise.all([currentActor(context), context.loaders.userById.load(event.actorUserId)]);
    return user && maySeeUser(actor, user) ? user : null;
  },
};
