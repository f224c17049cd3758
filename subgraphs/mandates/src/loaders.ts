import { auditTrailsByOrganization, childrenLoader, entityLoader, isUuid, linkedPageLoader, pageLoader, type Clock, type Link } from '@pgamr/kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DisclosureEvent } from './disclosure/disclosure-event.entity';
import { disclosureLoader } from './disclosure/disclosure-log';
import { Dossier, DossierStatusChange } from './dossier/dossier.entity';
import { Mandate, MandateDossier } from './mandate/mandate.entity';
import { quebecToday } from './calendar';
import { findActiveCoverage } from './mandate/mandate.repository';
import { FinancialReport, FinancialReportVersion } from './report/financial-report.entity';

/** Lists newest first; the id breaks ties, so that cursors are exact. */
export const NEWEST_DOSSIERS_FIRST = { createdAt: 'desc', id: 'desc' } as const;
export const NEWEST_MANDATES_FIRST = { grantedAt: 'desc', id: 'desc' } as const;
const NEWEST_DISCLOSURES_FIRST = { occurredAt: 'desc', id: 'desc' } as const;
/** R18, R19: an organization's reports, newest fiscal year first (one report per year). */
const NEWEST_YEARS_FIRST = { fiscalYear: 'desc', id: 'desc' } as const;
/** R18: a report's transmitted versions, oldest first (one row per version). */
const OLDEST_VERSIONS_FIRST = { version: 'asc', id: 'asc' } as const;
const NEWEST_VERSION_FIRST = { version: 'desc', id: 'desc' } as const;

/** A dossier's mandates, through mandate_dossier (R15). */
const MANDATES_OF_DOSSIER: Link = { table: 'mandate_dossier', parentColumn: 'dossier_id', childColumn: 'mandate_id' };

/** The mandates subgraph's per-request loaders. */
export function createMandatesLoaders(em: EntityManager, clock: Clock) {
  return {
    dossierById: entityLoader(em, Dossier),
    mandateById: entityLoader(em, Mandate),
    historyByDossier: childrenLoader(em, DossierStatusChange, 'dossier', { changedAt: 'asc', id: 'asc' }),
    /** Every dossier a mandate names (at most 50, R16): its status, and the pages of Mandate.dossiers. */
    dossiersByMandate: new DataLoader(async (mandateIds: readonly string[]) => {
      const links = await em.find(MandateDossier, { mandate: { $in: mandateIds.filter(isUuid) } }, { populate: ['dossier'] });
      const byMandate = new Map<string, Dossier[]>();
      for (const link of links) {
        const dossiers = byMandate.get(link.mandate.id) ?? [];
        dossiers.push(link.dossier.$);
        byMandate.set(link.mandate.id, dossiers);
      }
      return mandateIds.map((id) => byMandate.get(id) ?? []);
    }),
    // Paginated lists of a batch of parents (`_entities`): one statement per batch (and one
    // grouped count when a total is selected), not one per parent.
    dossierPagesByOrganization: pageLoader(em, Dossier, 'organizationId', NEWEST_DOSSIERS_FIRST),
    dossierPagesByService: pageLoader(em, Dossier, 'serviceId', NEWEST_DOSSIERS_FIRST),
    mandatePagesByOrganization: pageLoader(em, Mandate, 'organizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByFirm: pageLoader(em, Mandate, 'firmOrganizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByMandataire: pageLoader(em, Mandate, 'mandataireId', NEWEST_MANDATES_FIRST),
    mandatePagesByDossier: linkedPageLoader(em, Mandate, MANDATES_OF_DOSSIER, NEWEST_MANDATES_FIRST),
    disclosurePagesByOrganization: pageLoader(em, DisclosureEvent, 'organizationId', NEWEST_DISCLOSURES_FIRST),
    auditTrailPagesByOrganization: auditTrailsByOrganization(em),
    activeCoverageByMandataire: new DataLoader(async (mandataireIds: readonly string[]) => {
      const coverage = await findActiveCoverage(em, mandataireIds, quebecToday(clock.now()));
      return mandataireIds.map((id) => coverage.filter((entry) => entry.mandataireId === id));
    }),
    disclosures: disclosureLoader(em),
    financialReportById: entityLoader(em, FinancialReport),
    financialReportPagesByOrganization: pageLoader(em, FinancialReport, 'organizationId', NEWEST_YEARS_FIRST),
    financialReportVersionPagesByReport: pageLoader(em, FinancialReportVersion, 'report', OLDEST_VERSIONS_FIRST),
    /** R19: the last transmitted version of each report, as a page of one, newest version first. */
    lastVersionPagesByReport: pageLoader(em, FinancialReportVersion, 'report', NEWEST_VERSION_FIRST),
  };
}

export type MandatesLoaders = ReturnType<typeof createMandatesLoaders>;
