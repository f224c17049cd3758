import { isUuid, requireViewer } from '@pgamr/kit';
import { readableDossiers } from '../access/record-access';
import type { MandatesContext } from '../context';
import { CLOSED_STATUSES } from '../dossier/dossier.entity';
import type { Mandate as MandateEntity } from '../mandate/mandate.entity';
import { quebecToday } from '../calendar';
import { canSeeMandate, isDossierless, mandateStatus } from '../mandate/mandate.rules';

/** A mandate the caller may see, or null exactly as if it did not exist. */
export async function visibleMandate(context: MandatesContext, id: string): Promise<MandateEntity | null> {
  const viewer = requireViewer(context.auth);
  const mandate = isUuid(id) ? await context.loaders.mandateById.load(id) : null;
  return mandate && canSeeMandate(viewer, await context.rights(), mandate) ? mandate : null;
}

const reference = (typename: string, id: string) => ({ __typename: typename, id });

export const Mandate = {
  __resolveReference: ({ id }: { id: string }, context: MandatesContext) => visibleMandate(context, id),
  organization: (mandate: MandateEntity) => reference('Organization', mandate.organizationId),
  service: (mandate: MandateEntity) => reference('OnlineService', mandate.serviceId),
  firm: (mandate: MandateEntity) => reference('Organization', mandate.firmOrganizationId),
  mandataire: (mandate: MandateEntity) => reference('User', mandate.mandataireId),
  grantedBy: (mandate: MandateEntity) => reference('User', mandate.grantedBy),
  grantedAt: (mandate: MandateEntity) => mandate.grantedAt.toISOString(),
  revokedAt: (mandate: MandateEntity) => mandate.revokedAt?.toISOString() ?? null,
  status: async (mandate: MandateEntity, _: unknown, context: MandatesContext) => {
    if (isDossierless(mandate.serviceId)) return mandateStatus(mandate, quebecToday(), null);
    const dossiers = await context.loaders.dossiersByMandate.load(mandate.id);
    const open = dossiers.filter((dossier) => !CLOSED_STATUSES.includes(dossier.status)).length;
    return mandateStatus(mandate, quebecToday(), open);
  },
  /** Only the dossiers the caller may read: an organization's manager without a right on the service sees none (R14). */
  dossiers: async (mandate: MandateEntity, _: unknown, context: MandatesContext) =>
    readableDossiers(context, await context.loaders.dossiersByMandate.load(mandate.id)),
  parent: (mandate: MandateEntity, _: unknown, context: MandatesContext) =>
    mandate.parent ? visibleMandate(context, mandate.parent.id) : null,
};
