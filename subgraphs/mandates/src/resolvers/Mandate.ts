import { checkPageRequest, isUuid, requireViewer } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import type { MandateResolvers } from '../generated/resolvers-types';
import { CLOSED_STATUSES, Dossier } from '../dossier/dossier.entity';
import { dossiersReadableAmong, readableDossiers } from '../dossier/readable-dossiers';
import { NEWEST_DOSSIERS_FIRST } from '../loaders';
import { keepNodes, pageOfLoaded } from '../pages';
import type { Mandate as MandateEntity } from '../mandate/mandate.entity';
import { quebecToday } from '../calendar';
import { mandateStatus } from '../mandate/mandate-status';
import { isDossierless } from '../perform';
import { maySeeMandate } from '../policy';

/** A mandate the caller may see, or null exactly as if it did not exist. */
export async function visibleMandate(context: MandatesContext, id: string): Promise<MandateEntity | null> {
  const viewer = requireViewer(context.auth);
  const mandate = isUuid(id) ? await context.loaders.mandateById.load(id) : null;
  return mandate && maySeeMandate(viewer, await context.rights(), mandate) ? mandate : null;
}

const reference = (typename: string, id: string) => ({ __typename: typename, id });

// `startsOn` and `endsOn` are calendar days (the Date scalar), `grantedAt` and `revokedAt` instants
// (DateTime): served as the entity holds them.
export const Mandate = {
  __resolveReference: ({ id }, context) => visibleMandate(context, id),
  organization: (mandate) => reference('Organization', mandate.organizationId),
  service: (mandate) => reference('OnlineService', mandate.serviceId),
  firm: (mandate) => reference('Organization', mandate.firmOrganizationId),
  mandataire: (mandate) => reference('User', mandate.mandataireId),
  grantedBy: (mandate) => reference('User', mandate.grantedBy),
  status: async (mandate, _, context) => {
    if (isDossierless(mandate.serviceId)) return mandateStatus(mandate, quebecToday(context.clock.now()), null);
    const dossiers = await context.loaders.dossiersByMandate.load(mandate.id);
    const open = dossiers.filter((dossier) => !CLOSED_STATUSES.includes(dossier.status)).length;
    return mandateStatus(mandate, quebecToday(context.clock.now()), open);
  },
  /**
   * A page of the named dossiers the caller may read, newest first (R14: an organization's manager
   * without a right on the service sees none of them). A mandate names at most 50 dossiers (R16),
   * which its status reads anyway: the page is cut from that list, one statement per batch of
   * mandates, and only the dossiers of the page count as shown (disclosed to a mandataire's
   * organization).
   */
  dossiers: async (mandate, page, context) => {
    checkPageRequest(page);
    const readable = await dossiersReadableAmong(context, await context.loaders.dossiersByMandate.load(mandate.id));
    const shown = pageOfLoaded(context.em, Dossier, readable, NEWEST_DOSSIERS_FIRST, page);
    return keepNodes(shown, await readableDossiers(context, shown.nodes));
  },
  parent: (mandate, _, context) =>
    mandate.parent ? visibleMandate(context, mandate.parent.id) : null,
} satisfies MandateResolvers;
