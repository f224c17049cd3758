/** The actions of the mandates subgraph's audit trail (R21). */
export enum MandatesAuditAction {
  DossierCreated = 'DOSSIER_CREATED',
  DossierStatusChanged = 'DOSSIER_STATUS_CHANGED',
  MandateGranted = 'MANDATE_GRANTED',
  MandateDelegated = 'MANDATE_DELEGATED',
  MandateRevoked = 'MANDATE_REVOKED',
}

/** PERFORM financial reports (R18, R21). */
export enum FinancialReportAuditAction {
  Created = 'FINANCIAL_REPORT_CREATED',
  Updated = 'FINANCIAL_REPORT_UPDATED',
  Audited = 'FINANCIAL_REPORT_AUDITED',
  Attested = 'FINANCIAL_REPORT_ATTESTED',
  Transmitted = 'FINANCIAL_REPORT_TRANSMITTED',
  Amended = 'FINANCIAL_REPORT_AMENDED',
}
