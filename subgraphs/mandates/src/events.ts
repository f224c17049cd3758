import { randomUUID } from 'node:crypto';
import { EventType, recordEvent, type Audience, type DomainEvent } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Dossier, DossierStatus } from './dossier/dossier.entity';
import type { Mandate } from './mandate/mandate.entity';

// Issue 19: the events mandates raises, written in the transaction of the change and its audit
// entry (the kit's outbox), each with who waits on it. Who may read them is decided again when
// they are read (the notifications subgraph) and delivered (the gateway).

type MandateEventType = typeof EventType.MandateGranted | typeof EventType.MandatePassedOn | typeof EventType.MandateRevoked;

function raise(em: EntityManager, now: Date, event: Omit<DomainEvent, 'id' | 'source' | 'occurredAt'>): void {
  recordEvent(em, { id: randomUUID(), source: 'mandates', occurredAt: now.toISOString(), ...event });
}

/** R15, R16: a mandate granted, passed on or revoked concerns its mandataire and the firm's RSÉ. */
export function raiseMandateEvent(em: EntityManager, type: MandateEventType, mandate: Mandate, now: Date): void {
  const audiences: Audience[] = [
    { kind: 'USERS', userIds: [mandate.mandataireId] },
    { kind: 'FIRM_RSE', firmOrganizationId: mandate.firmOrganizationId },
  ];
  raise(em, now, {
    type,
    organizationId: mandate.organizationId,
    serviceId: mandate.serviceId,
    subject: { typename: 'Mandate', id: mandate.id },
    audiences,
    data: { level: mandate.level, startsOn: mandate.startsOn, endsOn: mandate.endsOn ?? null },
  });
}

/**
 * R14, R15, R17: a dossier's new status concerns the organization's users holding a right on its
 * program and the mandataires in force on it (`mandataireIds`, read before the change closes it).
 */
export function raiseDossierStatusChanged(
  em: EntityManager,
  dossier: Dossier,
  change: { from: DossierStatus; to: DossierStatus; mandataireIds: readonly string[] },
  now: Date,
): void {
  const audiences: Audience[] = [{ kind: 'SERVICE_USERS', organizationId: dossier.organizationId, serviceId: dossier.serviceId }];
  if (change.mandataireIds.length > 0) audiences.push({ kind: 'USERS', userIds: [...change.mandataireIds] });
  raise(em, now, {
    type: EventType.DossierStatusChanged,
    organizationId: dossier.organizationId,
    serviceId: dossier.serviceId,
    subject: { typename: 'Dossier', id: dossier.id },
    audiences,
    data: { from: change.from, to: change.to },
  });
}
