import { auditEventFields } from '@pgamr/kit';

export const AuditEvent = auditEventFields;
