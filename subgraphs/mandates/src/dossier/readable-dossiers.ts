import { checkPageRequest, emptyPage, regionalBodiesOf, requireViewer, type Page, type PageRequest, type Viewer } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { MandatesContext } from '../context';
import { DisclosedRecordType } from '../disclosure/disclosure-event.entity';
import { quebecToday } from '../calendar';
import type { Dossier } from './dossier.entity';
import type { Mandate } from '../mandate/mandate.entity';
import { inForceOnDossier, type MandateCoverage } from '../mandate/mandate.repository';
import { coverageByDossier, dossierAccess, readableDossierCondition, shownDossierMandatesCondition, type DossierAccess } from '../policy';

// The request-side of the dossier rules of policy.ts: each function reads what the rule needs
// (rights, the caller's mandates in force) through the request's loaders and asks the policy.

/** The caller's mandates in force by dossier, read once per request (R15: revocation shows on the next one). */
async function coverageOf(context: MandatesContext, viewer: Viewer): Promise<Map<string, MandateCoverage>> {
  return coverageByDossier(await context.loaders.activeCoverageByMandataire.load(viewer.userId));
}

/** What the caller may do on one dossier (policy.ts's dossierAccess, R15, R17, R20). */
export async function accessToDossier(context: MandatesContext, dossier: Dossier): Promise<DossierAccess> {
  const viewer = requireViewer(context.auth);
  const [rights, regionalBodies] = await Promise.all([context.rights(), regionalBodiesOf(viewer, context.directory)]);
  // The organization's side, the owner's staff and the regional direction need no mandate: the caller's are read only otherwise.
  const withoutMandate = dossierAccess(viewer, rights, dossier, undefined, regionalBodies);
  if (withoutMandate.read) return withoutMandate;
  return dossierAccess(viewer, rights, dossier, (await coverageOf(context, viewer)).get(dossier.id), regionalBodies);
}

/**
 * The dossiers of `candidates` the caller may read, in order, with nothing disclosed yet: to choose
 * the page of a bounded list, whose page then goes through readableDossiers.
 */
export async function dossiersReadableAmong(context: MandatesContext, candidates: readonly Dossier[]): Promise<Dossier[]> {
  const accesses = await Promise.all(candidates.map((dossier) => accessToDossier(context, dossier)));
  return candidates.filter((_, index) => accesses[index]!.read);
}

/**
 * The dossiers of `candidates` the caller may read, in order; reads by a mandataire are written to
 * the disclosure log before they are returned. Every path to a dossier goes through here.
 */
export async function readableDossiers(context: MandatesContext, candidates: readonly Dossier[]): Promise<Dossier[]> {
  const viewer = requireViewer(context.auth);
  const accesses = await Promise.all(candidates.map((dossier) => accessToDossier(context, dossier)));
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
 * first (who is shown which: policy.ts's shownDossierMandatesCondition). The rule is part of the
 * query (in force as findActiveCoverage has it: not revoked, inside its dates, the dossier open),
 * so pages are full and counts reveal nothing hidden.
 */
export async function visibleMandatesInForce(context: MandatesContext, dossier: Dossier, page: PageRequest): Promise<Page<Mandate>> {
  const viewer = requireViewer(context.auth);
  checkPageRequest(page);
  const [access, rights] = await Promise.all([accessToDossier(context, dossier), context.rights()]);
  const seen = shownDossierMandatesCondition(viewer, rights, dossier, access);
  const inForce = inForceOnDossier(quebecToday(context.clock.now()), dossier);
  if (!seen || !inForce) return emptyPage();
  return context.loaders.mandatePagesByDossier.load(dossier.id, { $and: [inForce, seen] }, page);
}

/**
 * policy.ts's readableDossierCondition for the caller, for lists paginated in the database; null
 * when the caller may read none.
 */
export async function readableDossierWhere(context: MandatesContext): Promise<FilterQuery<Dossier> | null> {
  const viewer = requireViewer(context.auth);
  const [rights, coverage, regionalBodies] = await Promise.all([context.rights(), coverageOf(context, viewer), regionalBodiesOf(viewer, context.directory)]);
  return readableDossierCondition(viewer, rights, [...coverage.keys()], regionalBodies);
}
