import { childrenLoader, entityLoader, isUuid } from '@pgamr/kit';
import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { disclosureLoader } from './disclosure/disclosure-log';
import { Dossier, DossierStatusChange } from './dossier/dossier.entity';
import { Mandate, MandateDossier } from './mandate/mandate.entity';
import { findActiveCoverage } from './mandate/mandate.repository';
import { FinancialReport, FinancialReportVersion } from './report/financial-report.entity';

/** The mandates subgraph's per-request loaders. */
export function createMandatesLoaders(em: EntityManager) {
  return {
    dossierById: entityLoader(em, Dossier),
    mandateById: entityLoader(em, Mandate),
    historyByDossier: childrenLoader(em, DossierStatusChange, 'dossier', { changedAt: 'asc', id: 'asc' }),
    dossiersByMandate: new DataLoader(async (mandateIds: readonly string[]) => {
      const links = await em.find(MandateDossier, { mandate: { $in: mandateIds.filter(isUuid) } }, { populate: ['dossier'] });
      return mandateIds.map((id) => links.filter((link) => link.mandate.id === id).map((link) => link.dossier.$));
    }),
    activeCoverageByMandataire: new DataLoader(async (mandataireIds: readonly string[]) => {
      const coverage = await findActiveCoverage(em, mandataireIds);
      return mandataireIds.map((id) => coverage.filter((entry) => entry.mandataireId === id));
    }),
    disclosures: disclosureLoader(em),
    financialReportById: entityLoader(em, FinancialReport),
    // R18: an organization's reports, newest fiscal year first; a report's transmitted versions, oldest first.
    financialReportsByOrganization: childrenLoader(em, FinancialReport, 'organizationId', { fiscalYear: 'desc' }),
    financialReportVersionsByReport: childrenLoader(em, FinancialReportVersion, 'report', { version: 'asc' }),
  };
}

export type MandatesLoaders = ReturnType<typeof createMandatesLoaders>;
