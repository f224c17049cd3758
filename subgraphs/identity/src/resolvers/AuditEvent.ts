import type { AuditEvent as AuditEventEntity } from '@pgamr/kit';

const json = (value: Record<string, unknown> | null | undefined) => (value ? JSON.stringify(value) : null);

export const AuditEvent = {
  occurredAt: (event: AuditEventEntity) => event.occurredAt.toISOString(),
  before: (event: AuditEventEntity) => json(event.before),
  after: (event: AuditEventEntity) => json(event.after),
};
