import { FIRM_USERS_PATH, isUuid, MEMBERS_PATH, type DirectoryMember, type FirmUser, type VerifyAuthorization, type Viewer } from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ClicSequrRegistrationStatus, FIRM_KINDS } from '../organization/organization.entity';
import { mayLearnMembership } from '../policy';
import { User, UserStatus } from '../user/user.entity';

/** The signed-in caller with a personal password, or null after answering 401. */
async function directoryCaller(verifyAuthorization: VerifyAuthorization, authorization: string | undefined, reply: FastifyReply): Promise<Viewer | null> {
  const auth = await verifyAuthorization(authorization);
  if (auth.status !== 'authenticated' || auth.viewer.passwordChangeRequired) {
    await reply.code(401).send({ error: 'UNAUTHENTICATED' });
    return null;
  }
  reply.header('cache-control', 'no-store');
  return auth.viewer;
}

/**
 * Identity's directory for other subgraphs: a signed-in user names a firm's employee by the
 * clicSÉQUR code that employee gave them, and learns only their name, the user's and firm's ids
 * and the firm's kind. Any code that is not an active firm user (unknown, suspended, or of a
 * municipality, R20) gets the same 404, so the directory reveals nothing about the portal's
 * other users.
 *
 * Its members side answers "to which organization does this active user belong, and of what
 * kind is it?", so that services can keep a grant inside the organization the rule allows (R10,
 * R11, R13). A user who is unknown, suspended, of an unregistered organization (R3), or whom the
 * caller may not learn of gets the same 404.
 */
export function registerFirmDirectory(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization): void {
  app.get<{ Params: { code: string } }>(`${FIRM_USERS_PATH}/:code`, async (request, reply) => {
    if (!(await directoryCaller(verifyAuthorization, request.headers.authorization, reply))) return reply;
    const user = await orm.em.fork().findOne(
      User,
      { clicSequrCode: request.params.code, status: UserStatus.Active, organization: { kind: { $in: FIRM_KINDS } } },
      { fields: ['id', 'organization.kind', 'givenName', 'familyName'] },
    );
    if (!user) return reply.code(404).send({ error: 'NOT_FOUND' });
    const body: FirmUser = {
      userId: user.id,
      organizationId: user.organization.id,
      displayName: `${user.givenName} ${user.familyName}`,
      organizationKind: user.organization.$.kind,
    };
    return body;
  });

  app.get<{ Params: { userId: string } }>(`${MEMBERS_PATH}/:userId`, async (request, reply) => {
    const viewer = await directoryCaller(verifyAuthorization, request.headers.authorization, reply);
    if (!viewer) return reply;
    const { userId } = request.params;
    const user = isUuid(userId)
      ? await orm.em.fork().findOne(
          User,
          { id: userId, status: UserStatus.Active, organization: { clicSequrStatus: ClicSequrRegistrationStatus.Registered } },
          { fields: ['id', 'organization.kind'] },
        )
      : null;
    if (!user || !mayLearnMembership(viewer, user.organization.id, user.organization.$.kind)) {
      return reply.code(404).send({ error: 'NOT_FOUND' });
    }
    const body: DirectoryMember = { userId: user.id, organizationId: user.organization.id, organizationKind: user.organization.$.kind };
    return body;
  });
}
