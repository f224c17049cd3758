// What this subgraph's resolvers receive as a type's parent, and must return for it: each
// `<Type>Mapper` here replaces the SDL's shape of <Type> in src/generated/resolvers-types.ts
// (`npm run codegen`, scripts/codegen/resolver-types.ts).
import type { AuditEvent, Connection } from '@pgamr/kit';
import type { AccessRequestStatistics, AccessRequestStatisticsGroup } from '../access/access-request-statistics';
import type { AccessRequest, AccessRight } from '../access/access.entity';
import type { OnlineService } from '../online-service/online-service.entity';
import type { LocalManagerAnswerSource } from './LocalManagerAnswer';

export { SectorCode } from '@pgamr/kit';
export { AccessRequestKind, AccessRequestStatus } from '../access/access.entity';
export { OnlineServiceStatus } from '../online-service/online-service.entity';

/** A record another subgraph owns: its key, for the router to resolve there. */
type Reference = { id: string };

export type AccessRequestMapper = AccessRequest;
export type AccessRequestConnectionMapper = Connection<AccessRequest>;
export type AccessRequestStatisticsMapper = AccessRequestStatistics;
export type AccessRequestStatisticsGroupMapper = AccessRequestStatisticsGroup;
export type AccessRightMapper = AccessRight;
export type AccessRightConnectionMapper = Connection<AccessRight>;
export type AuditEventMapper = AuditEvent;
export type AuditEventConnectionMapper = Connection<AuditEvent>;
export type DeputyManagerConnectionMapper = Connection<Reference>;
export type LocalManagerAnswerMapper = LocalManagerAnswerSource;
export type OnlineServiceMapper = OnlineService;
export type OnlineServiceConnectionMapper = Connection<OnlineService>;
export type OrganizationMapper = Reference;
export type UserMapper = Reference;
