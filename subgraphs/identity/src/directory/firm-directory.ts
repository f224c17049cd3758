import { FIRM_USERS_PATH, type FirmUser, type VerifyAuthorization } from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { OrganizationKind } from '../organization/organization.entity';
import { User, UserStatus } from '../user/user.entity';

/** The organizations whose users may be mandated on another organization's files (R15). */
export const FIRM_KINDS: readonly OrganizationKind[] = [
  OrganizationKind.ConsultingFirm,
  OrganizationKind.AuditingFirm,
  OrganizationKind.Consultant,
  OrganizationKind.Collaborator,
];

/**
 * Identity's directory for other subgraphs: a signed-in user names a firm's employee by the
 * clicSÉQUR code that employee gave them, and learns only their name and the user's and firm's ids. Any
 * code that is not an active firm user (unknown, suspended, or of a municipality, R20) gets the
 * same 404, so the directory reveals nothing about the portal's other users.
 */
export function registerFirmDirectory(app: FastifyInstance, orm: MikroORM, verifyAuthorization: VerifyAuthorization): void {
  app.get<{ Params: { code: string } }>(`${FIRM_USERS_PATH}/:code`, async (request, reply) => {
    const auth = await verifyAuthorization(request.headers.authorization);
    if (auth.status !== 'authenticated' || auth.viewer.passwordChangeRequired) {
      return reply.code(401).send({ error: 'UNAUTHENTICATED' });
    }
    reply.header('cache-control', 'no-store');
    const user = await orm.em.fork().findOne(
      User,
      { clicSequrCode: request.params.code, status: UserStatus.Active, organization: { kind: { $in: FIRM_KINDS } } },
      { fields: ['id', 'organization', 'givenName', 'familyName'] },
    );
    if (!user) return reply.code(404).send({ error: 'NOT_FOUND' });
    const body: FirmUser = { userId: user.id, organizationId: user.organization.id, displayName: `${user.givenName} ${user.familyName}` };
    return body;
  });
}
