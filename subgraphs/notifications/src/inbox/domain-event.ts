import { EventType, isUuid, type Audience, type DomainEvent, type EventSubject } from '@pgamr/kit';

// The bus carries JSON from other processes: an event is taken apart field by field before the
// inbox keeps anything of it, so that a malformed one is set aside rather than half written.

const EVENT_TYPES = new Set<string>(Object.values(EventType));
const SUBJECT_TYPENAMES = new Set<string>(['AccessRequest', 'AccessRight', 'Mandate', 'Dossier', 'FinancialReport'] satisfies Array<EventSubject['typename']>);
/** Far more than any producer names (a local manager and deputies, a mandataire and a firm). */
const MAX_AUDIENCES = 20;
const MAX_USERS_PER_AUDIENCE = 1_000;
const MAX_DATA_KEYS = 50;
/** Québec has some 1 100 municipalities and a few hundred other municipal bodies (R18's except list). */
const MAX_EXCEPT_ORGANIZATIONS = 10_000;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const uuidList = (value: unknown, max: number): string[] | null =>
  Array.isArray(value) && value.length <= max && value.every((item) => typeof item === 'string' && isUuid(item)) ? (value as string[]) : null;
const shortText = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= 100;

function audienceOf(value: unknown): Audience | null {
  if (!isRecord(value)) return null;
  const id = (key: string) => (typeof value[key] === 'string' && isUuid(value[key]) ? value[key] : null);
  switch (value.kind) {
    case 'USERS': {
      const userIds = uuidList(value.userIds, MAX_USERS_PER_AUDIENCE);
      return userIds ? { kind: 'USERS', userIds: [...new Set(userIds)] } : null;
    }
    case 'OWNER_STAFF': {
      const serviceId = id('serviceId');
      return serviceId ? { kind: 'OWNER_STAFF', serviceId } : null;
    }
    case 'FIRM_RSE': {
      const firmOrganizationId = id('firmOrganizationId');
      return firmOrganizationId ? { kind: 'FIRM_RSE', firmOrganizationId } : null;
    }
    case 'SERVICE_USERS': {
      const [organizationId, serviceId] = [id('organizationId'), id('serviceId')];
      return organizationId && serviceId ? { kind: 'SERVICE_USERS', organizationId, serviceId } : null;
    }
    case 'SERVICE_ROLES': {
      const [organizationId, serviceId] = [id('organizationId'), id('serviceId')];
      const roles = value.roles;
      if (!organizationId || !serviceId || !Array.isArray(roles) || roles.length === 0 || roles.length > 20 || !roles.every(shortText)) return null;
      return { kind: 'SERVICE_ROLES', organizationId, serviceId, roles: [...new Set(roles)] };
    }
    case 'SERVICE_ROLES_EXCEPT': {
      const serviceId = id('serviceId');
      const roles = value.roles;
      const exceptOrganizationIds = uuidList(value.exceptOrganizationIds, MAX_EXCEPT_ORGANIZATIONS);
      if (!serviceId || !exceptOrganizationIds || !Array.isArray(roles) || roles.length === 0 || roles.length > 20 || !roles.every(shortText)) return null;
      return { kind: 'SERVICE_ROLES_EXCEPT', serviceId, roles: [...new Set(roles)], exceptOrganizationIds: [...new Set(exceptOrganizationIds)] };
    }
    default:
      return null;
  }
}

function dataOf(value: unknown): DomainEvent['data'] | null {
  if (!isRecord(value)) return null;
  const entries = Object.entries(value);
  if (entries.length > MAX_DATA_KEYS) return null;
  const scalar = (item: unknown) => item === null || typeof item === 'number' || typeof item === 'boolean' || (typeof item === 'string' && item.length <= 1_000);
  return entries.every(([, item]) => scalar(item)) ? (value as DomainEvent['data']) : null;
}

/** The domain event a bus message carries, or null when it is not one the inbox can keep. */
export function parseDomainEvent(payload: unknown): DomainEvent | null {
  if (!isRecord(payload)) return null;
  const { id, type, source, occurredAt, organizationId, serviceId, subject } = payload;
  if (typeof id !== 'string' || !isUuid(id) || typeof type !== 'string' || !EVENT_TYPES.has(type) || !shortText(source)) return null;
  if (typeof occurredAt !== 'string' || Number.isNaN(Date.parse(occurredAt))) return null;
  if (organizationId !== null && (typeof organizationId !== 'string' || !isUuid(organizationId))) return null;
  if (serviceId !== null && (typeof serviceId !== 'string' || !isUuid(serviceId))) return null;
  // An event about no record (R18: a report never opened) has a null subject, or none.
  const noSubject = subject === null || subject === undefined;
  if (!noSubject && (!isRecord(subject) || typeof subject.typename !== 'string' || !SUBJECT_TYPENAMES.has(subject.typename) || typeof subject.id !== 'string' || !isUuid(subject.id))) return null;
  if (!Array.isArray(payload.audiences) || payload.audiences.length === 0 || payload.audiences.length > MAX_AUDIENCES) return null;
  const audiences = payload.audiences.map(audienceOf);
  if (audiences.some((audience) => audience === null)) return null;
  const data = dataOf(payload.data ?? {});
  if (!data) return null;
  return {
    id,
    type: type as EventType,
    source,
    occurredAt,
    organizationId,
    serviceId,
    subject: noSubject ? null : { typename: subject.typename as EventSubject['typename'], id: subject.id as string },
    audiences: audiences as Audience[],
    data,
  };
}
