import { checkPageRequest, emptyPage, hasRole, IdentityRole, requireViewer, ServiceRole, type Page, type PageRequest, type Viewer } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { MandatesContext } from '../context';
import { DisclosedRecordType } from '../disclosure/disclosure-event.entity';
import { quebecToday } from '../calendar';
import { CLOSED_STATUSES, type Dossier } from '../dossier/dossier.entity';
import { levelAllows, type Mandate, MandateLevel } from '../mandate/mandate.entity';
import { inDates, type MandateCoverage } from '../mandate/mandate.repository';
import { mandatesFor } from '../mandate/mandate.rules';

/** R14: working in a program's dossiers takes the USER role on its service; managing access alone does not. */
export const DOSSIER_WORKING_ROLES: readonly ServiceRole[] = [ServiceRole.User];

/** What the caller may do on one dossier, and why. */
export interface DossierAccess {
  read: boolean;
  /** Edit the title, amount and form (while the dossier is a draft). */
  edit: boolean;
  submit: boolean;
  /** Move it through review: the service owner's staff (R17). */
  review: boolean;
  /**
   * Set when the caller's only way in is a mandate (R15): reads are disclosed to the organization.
   * Unset on a readable dossier, the caller reads it as the organization's side: its users working
   * in the program or the owner's staff, the people Organization.dossiers lists it for.
   */
  throughMandate?: MandateCoverage;
}

const NO_ACCESS: DossierAccess = { read: false, edit: false, submit: false, review: false };

/** The caller's active mandate coverage, read once per request (R15: revocation shows on the next one). */
async function coverageOf(context: MandatesContext, viewer: Viewer): Promise<Map<string, MandateCoverage>> {
  const coverage = await context.loaders.activeCoverageByMandataire.load(viewer.userId);
  const byDossier = new Map<string, MandateCoverage>();
  for (const entry of coverage) {
    const known = byDossier.get(entry.dossierId);
    if (!known || levelAllows(entry.level, known.level)) byDossier.set(entry.dossierId, entry);
  }
  return byDossier;
}

/**
 * R15, R17, R20 in one place: an organization's users holding a right on the dossier's service
 * fill and submit it; the owner's staff read and review it; a mandataire works on exactly the
 * dossiers of their active mandates, within their level; nobody else sees it.
 */
export async function dossierAccess(context: MandatesContext, dossier: Dossier): Promise<DossierAccess> {
  const viewer = requireViewer(context.auth);
  const rights = await context.rights();
  if (viewer.organizationId === dossier.organizationId && rights.has(dossier.serviceId, dossier.organizationId, DOSSIER_WORKING_ROLES)) {
    return { read: true, edit: true, submit: true, review: false };
  }
  if (rights.administers(dossier.serviceId)) return { read: true, edit: false, submit: false, review: true };
  const mandate = (await coverageOf(context, viewer)).get(dossier.id);
  if (!mandate) return NO_ACCESS;
  return {
    read: true,
    edit: levelAllows(mandate.level, MandateLevel.Preparation),
    submit: levelAllows(mandate.level, MandateLevel.Transmission),
    review: false,
    throughMandate: mandate,
  };
}

/**
 * The dossiers of `candidates` the caller may read, in order, with nothing disclosed yet: to choose
 * the page of a bounded list, whose page then goes through readableDossiers.
 */
export async function dossiersReadableAmong(context: MandatesContext, candidates: readonly Dossier[]): Promise<Dossier[]> {
  const accesses = await Promise.all(candidates.map((dossier) => dossierAccess(context, dossier)));
  return candidates.filter((_, index) => accesses[index]!.read);
}

/**
 * The dossiers of `candidates` the caller may read, in order; reads by a mandataire are written to
 * the disclosure log before they are returned. Every path to a dossier goes through here.
 */
export async function readableDossiers(context: MandatesContext, candidates: readonly Dossier[]): Promise<Dossier[]> {
  const viewer = requireViewer(context.auth);
  const accesses = await Promise.all(candidates.map((dossier) => dossierAccess(context, dossier)));
  const readable = candidates.filter((_, index) => accesses[index]!.read);
  await Promise.all(
    candidates.flatMap((dossier, index) => {
      const mandate = accesses[index]!.throughMandate;
      return mandate
        ? [
            context.loaders.disclosures.load({
              readerUserId: viewer.userId,
              readerOrganizationId: viewer.organizationId,
              organizationId: dossier.organizationId,
              serviceId: dossier.serviceId,
              recordType: DisclosedRecordType.Dossier,
              recordId: dossier.id,
              mandateId: mandate.mandateId,
            }),
          ]
        : [];
    }),
  );
  return readable;
}

/** One dossier if the caller may read it; otherwise null, exactly as if it did not exist. */
export async function readableDossier(context: MandatesContext, dossier: Dossier | null): Promise<Dossier | null> {
  return dossier ? ((await readableDossiers(context, [dossier]))[0] ?? null) : null;
}

/**
 * R15, R20: the page of the mandates in force on a dossier that the caller is shown, newest grant
 * first. The organization's side (see DossierAccess.throughMandate) that manages the service's
 * mandates, and the owner's staff, see every one; a mandataire only those given to them, never a
 * colleague's or another firm's, which are the organization's business; whoever cannot read the
 * dossier, none. Each is also one the caller may open with `mandate(id)` (canSeeMandate): a user
 * of the organization who does not manage the service's mandates reads the dossier, not its
 * mandates. The rule is part of the query (in force as findActiveCoverage has it: not revoked,
 * inside its dates, the dossier open), so pages are full and counts reveal nothing hidden.
 */
export async function visibleMandatesInForce(context: MandatesContext, dossier: Dossier, page: PageRequest): Promise<Page<Mandate>> {
  const viewer = requireViewer(context.auth);
  checkPageRequest(page);
  const [access, rights] = await Promise.all([dossierAccess(context, dossier), context.rights()]);
  if (!access.read || CLOSED_STATUSES.includes(dossier.status)) return emptyPage();
  const seesAll = !access.throughMandate && (mandatesFor(viewer, rights, dossier.organizationId, dossier.serviceId) || rights.administers(dossier.serviceId));
  // canSeeMandate's other branches, for a mandate on this dossier: its mandataire, and the RSÉ of its firm.
  const seen: FilterQuery<Mandate> = seesAll
    ? {}
    : access.throughMandate || !hasRole(viewer, IdentityRole.Rse)
      ? { mandataireId: viewer.userId }
      : { $or: [{ mandataireId: viewer.userId }, { firmOrganizationId: viewer.organizationId }] };
  return context.loaders.mandatePagesByDossier.load(dossier.id, { $and: [inDates(quebecToday(context.clock.now()), {}), seen] }, page);
}

/**
 * The same rule as a query condition, for lists paginated in the database: the caller's own
 * organization's dossiers in the services they work in, the services their direction owns, and
 * the dossiers of their active mandates. Null when the caller may read none.
 */
export async function readableDossierCondition(context: MandatesContext): Promise<FilterQuery<Dossier> | null> {
  const viewer = requireViewer(context.auth);
  const rights = await context.rights();
  const memberServices = [...rights.servicesFor(viewer.organizationId, DOSSIER_WORKING_ROLES)];
  const mandated = [...(await coverageOf(context, viewer)).keys()];
  const branches: FilterQuery<Dossier>[] = [
    ...(memberServices.length > 0 ? [{ organizationId: viewer.organizationId, serviceId: { $in: memberServices } }] : []),
    ...(rights.administeredServiceIds.length > 0 ? [{ serviceId: { $in: [...rights.administeredServiceIds] } }] : []),
    ...(mandated.length > 0 ? [{ id: { $in: mandated } }] : []),
  ];
  return branches.length === 0 ? null : { $or: branches };
}
