import { auditTrailsByOrganization, childrenLoader, entityLoader, findRowsThroughLink, isUuid, linkedRowPageLoader, pageLoader, rowPageLoader, type Clock, type Link } from '@pgamr/kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DisclosureEvent } from './disclosure/disclosure-event.entity';
import { disclosureLoader } from './disclosure/disclosure-log';
import { Dossier, DossierStatusChange } from './dossier/dossier.entity';
import { Mandate } from './mandate/mandate.entity';
import { quebecToday } from './calendar';
import { dossierFromRow, financialReportFromRow, financialReportVersionFromRow, mandateFromRow } from './read-rows';
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
/** A mandate's dossiers, through the same table (R16). */
const DOSSIERS_OF_MANDATE: Link = { table: 'mandate_dossier', parentColumn: 'mandate_id', childColumn: 'dossier_id' };

/** The mandates subgraph's per-request loaders. */
export function createMandatesLoaders(em: EntityManager, clock: Clock) {
  const dossierRow = dossierFromRow(em);
  const versionRow = financialReportVersionFromRow(em);
  return {
    dossierById: entityLoader(em, Dossier),
    mandateById: entityLoader(em, Mandate),
    historyByDossier: childrenLoader(em, DossierStatusChange, 'dossier', { changedAt: 'asc', id: 'asc' }),
    /** Every dossier a mandate names (at most 50, R16): its status, and the pages of Mandate.dossiers. */
    dossiersByMandate: new DataLoader(async (mandateIds: readonly string[]) => {
      const byMandate = await findRowsThroughLink(em, Dossier, DOSSIERS_OF_MANDATE, mandateIds.filter(isUuid), dossierRow);
      return mandateIds.map((id) => byMandate.get(id) ?? []);
    }),
    // Paginated lists of a batch of parents (`_entities`): one statement per batch (and one
    // grouped count when a total is selected), not one per parent.
    // The lists a request shows are read as rows, not hydrated entities (read-rows.ts).
    dossierPagesByOrganization: rowPageLoader(em, Dossier, 'organizationId', NEWEST_DOSSIERS_FIRST, dossierRow),
    dossierPagesByService: rowPageLoader(em, Dossier, 'serviceId', NEWEST_DOSSIERS_FIRST, dossierRow),
    mandatePagesByOrganization: pageLoader(em, Mandate, 'organizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByFirm: pageLoader(em, Mandate, 'firmOrganizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByMandataire: pageLoader(em, Mandate, 'mandataireId', NEWEST_MANDATES_FIRST),
    mandatePagesByDossier: linkedRowPageLoader(em, Mandate, MANDATES_OF_DOSSIER, NEWEST_MANDATES_FIRST, mandateFromRow(em)),
    disclosurePagesByOrganization: pageLoader(em, DisclosureEvent, 'organizationId', NEWEST_DISCLOSURES_FIRST),
    auditTrailPagesByOrganization: auditTrailsByOrganization(em),
    activeCoverageByMandataire: new DataLoader(async (mandataireIds: readonly string[]) => {
      const coverage = await findActiveCoverage(em, mandataireIds, quebecToday(clock.now()));
      return mandataireIds.map((id) => coverage.filter((entry) => entry.mandataireId === id));
    }),
    disclosures: disclosureLoader(em),
    financialReportById: entityLoader(em, FinancialReport),
    financialReportPagesByOrganization: rowPageLoader(em, FinancialReport, 'organizationId', NEWEST_YEARS_FIRST, financialReportFromRow(em)),
    financialReportVersionPagesByReport: rowPageLoader(em, FinancialReportVersion, 'report', OLDEST_VERSIONS_FIRST, versionRow),
    /** R19: the last transmitted version of each report, as a page of one, newest version first. */
    lastVersionPagesByReport: rowPageLoader(em, FinancialReportVersion, 'report', NEWEST_VERSION_FIRST, versionRow),
  };
}

export type MandatesLoaders = ReturnType<typeof createMandatesLoaders>;
