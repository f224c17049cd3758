import { childrenLoader, entityLoader, isUuid, pageLoader, serviceTrailLoader } from '@pgamr/kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DisclosureEvent } from './disclosure/disclosure-event.entity';
import { disclosureLoader } from './disclosure/disclosure-log';
import { Dossier, DossierStatusChange } from './dossier/dossier.entity';
import { Mandate, MandateDossier } from './mandate/mandate.entity';
import { findActiveCoverage, findMandatesInForce } from './mandate/mandate.repository';
import { FinancialReport, FinancialReportVersion } from './report/financial-report.entity';

/** Lists newest first; the id breaks ties, so that cursors are exact. */
export const NEWEST_DOSSIERS_FIRST = { createdAt: 'desc', id: 'desc' } as const;
export const NEWEST_MANDATES_FIRST = { grantedAt: 'desc', id: 'desc' } as const;
const NEWEST_DISCLOSURES_FIRST = { occurredAt: 'desc', id: 'desc' } as const;

/** The mandates subgraph's per-request loaders. */
export function createMandatesLoaders(em: EntityManager) {
  return {
    dossierById: entityLoader(em, Dossier),
    mandateById: entityLoader(em, Mandate),
    historyByDossier: childrenLoader(em, DossierStatusChange, 'dossier', { changedAt: 'asc', id: 'asc' }),
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
    // Paginated lists of a batch of parents (`_entities`): two statements per batch, not two per parent.
    dossierPagesByOrganization: pageLoader(em, Dossier, 'organizationId', NEWEST_DOSSIERS_FIRST),
    dossierPagesByService: pageLoader(em, Dossier, 'serviceId', NEWEST_DOSSIERS_FIRST),
    mandatePagesByOrganization: pageLoader(em, Mandate, 'organizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByFirm: pageLoader(em, Mandate, 'firmOrganizationId', NEWEST_MANDATES_FIRST),
    mandatePagesByMandataire: pageLoader(em, Mandate, 'mandataireId', NEWEST_MANDATES_FIRST),
    disclosurePagesByOrganization: pageLoader(em, DisclosureEvent, 'organizationId', NEWEST_DISCLOSURES_FIRST),
    recordsAuditTrail: serviceTrailLoader(em),
    activeCoverageByMandataire: new DataLoader(async (mandataireIds: readonly string[]) => {
      const coverage = await findActiveCoverage(em, mandataireIds);
      return mandataireIds.map((id) => coverage.filter((entry) => entry.mandataireId === id));
    }),
    // R15: the mandates in force on every dossier of a page or an `_entities` batch, in one statement.
    mandatesInForceByDossier: new DataLoader(async (dossierIds: readonly string[]) => {
      const validIds = dossierIds.filter(isUuid);
      const byDossier = validIds.length === 0 ? new Map<string, Mandate[]>() : await findMandatesInForce(em, validIds);
      return dossierIds.map((id) => byDossier.get(id) ?? []);
    }),
    disclosures: disclosureLoader(em),
    financialReportById: entityLoader(em, FinancialReport),
    // R18: an organization's reports, newest fiscal year first; a report's transmitted versions, oldest first.
    financialReportsByOrganization: childrenLoader(em, FinancialReport, 'organizationId', { fiscalYear: 'desc' }),
    financialReportVersionsByReport: childrenLoader(em, FinancialReportVersion, 'report', { version: 'asc' }),
  };
}

export type MandatesLoaders = ReturnType<typeof createMandatesLoaders>;
