import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, type Ref } from '@mikro-orm/core';
import { emptyContent, type ReportContent } from './report-figures';

/**
 * R18: where the working version stands: DRAFT → AUDITED → ATTESTED → TRANSMITTED, and each
 * correction (an amendment, `version` 2 and up) goes through the same stages again. The status is
 * always the current version's stage (API v1, rule 5), never "amended" for good.
 */
export enum FinancialReportStatus {
  Draft = 'DRAFT',
  Audited = 'AUDITED',
  Attested = 'ATTESTED',
  Transmitted = 'TRANSMITTED',
}

/** R18: an amendment is any working version after the first transmission's. */
export const isAmendment = (report: Pick<FinancialReport, 'version'>): boolean => report.version > 1;

/**
 * R18: a municipal body's PERFORM financial report for one fiscal year, as it is being worked
 * on. `version` is the working version: 1, then 2 after the first amendment… Each transmission
 * freezes the working version as a FinancialReportVersion.
 */
export class FinancialReport {
  [OptionalProps]?: 'id' | 'status' | 'version' | 'content' | 'createdAt' | 'updatedAt';
  id: string = randomUUID();
  /** Owned by the identity subgraph: a reference, not a foreign key. */
  organizationId!: string;
  fiscalYear!: number;
  status: FinancialReportStatus = FinancialReportStatus.Draft;
  version: number = 1;
  /** The three parts' figures (report-figures.ts), validated before they are stored. */
  content: ReportContent = emptyContent();
  /** R13: the external auditor who marked the audited part of the working version audited. */
  auditedBy?: string | null;
  auditedAt?: Date | null;
  /** R13: the signatory who attested the working version. */
  attestedBy?: string | null;
  attestedAt?: Date | null;
  /** R18: the first transmission decides whether the report was late. */
  firstTransmittedAt?: Date | null;
  createdBy!: string;
  createdAt: Date = new Date();
  updatedAt: Date = new Date();
}

/** R18: one transmitted version of a report, frozen: never updated once written. */
export class FinancialReportVersion {
  [OptionalProps]?: 'id' | 'transmittedAt';
  id: string = randomUUID();
  report!: Ref<FinancialReport>;
  version!: number;
  content!: ReportContent;
  auditedBy!: string;
  attestedBy!: string;
  transmittedBy!: string;
  transmittedAt: Date = new Date();
}

export const FinancialReportSchema = new EntitySchema<FinancialReport>({
  class: FinancialReport,
  tableName: 'financial_report',
  // R18: one report per municipal body and fiscal year; also serves the organization's list, by year.
  uniques: [{ properties: ['organizationId', 'fiscalYear'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    fiscalYear: { type: 'smallint' },
    status: { enum: true, items: () => FinancialReportStatus },
    version: { type: 'smallint' },
    content: { type: 'json' },
    auditedBy: { type: 'uuid', nullable: true },
    auditedAt: { type: 'datetime', nullable: true },
    attestedBy: { type: 'uuid', nullable: true },
    attestedAt: { type: 'datetime', nullable: true },
    firstTransmittedAt: { type: 'datetime', nullable: true },
    createdBy: { type: 'uuid' },
    createdAt: { type: 'datetime' },
    updatedAt: { type: 'datetime', onUpdate: () => new Date() },
  },
});

export const FinancialReportVersionSchema = new EntitySchema<FinancialReportVersion>({
  class: FinancialReportVersion,
  tableName: 'financial_report_version',
  // R18: a version is transmitted once; two identical requests racing transmit once.
  uniques: [{ properties: ['report', 'version'] }],
  properties: {
    id: { type: 'uuid', primary: true },
    report: { kind: 'm:1', entity: 'FinancialReport', ref: true },
    version: { type: 'smallint' },
    content: { type: 'json' },
    auditedBy: { type: 'uuid' },
    attestedBy: { type: 'uuid' },
    transmittedBy: { type: 'uuid' },
    transmittedAt: { type: 'datetime' },
  },
});
