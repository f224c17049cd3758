import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { FinancialReport, FinancialReportVersion } from './financial-report.entity';

/**
 * A report read for a change, its row locked until the transaction ends: two changes to the same
 * report (two identical transmissions included) are decided one after the other, each on the
 * state the other left.
 */
export function findReportForChange(em: EntityManager, reportId: string): Promise<FinancialReport | null> {
  return em.findOne(FinancialReport, reportId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

export function findReportOfYear(em: EntityManager, organizationId: string, fiscalYear: number): Promise<FinancialReport | null> {
  return em.findOne(FinancialReport, { organizationId, fiscalYear });
}

/** R18: the transmitted versions of a report, oldest first. */
export function findTransmittedVersions(em: EntityManager, report: FinancialReport): Promise<FinancialReportVersion[]> {
  return em.find(FinancialReportVersion, { report }, { orderBy: { version: 'asc' } });
}
