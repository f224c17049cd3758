export { readSubgraphConfig, type SubgraphConfig, type DatabaseTarget } from './config';
export {
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  ACCEPTABLE_ALGORITHMS,
  IDENTITY_CLAIMS,
  IDENTITY_TOKENS,
  createTokenVerifier,
  isAcceptableAlgorithm,
  remoteKeySet,
  type AccessTokenClaims,
  type ClaimNames,
  type TokenAcceptance,
  type TokenAlgorithm,
  type VerifyAuthorization,
} from './auth/token-verifier';
export {
  createRightsClient,
  RIGHTS_PATH,
  RightSet,
  type FetchRights,
  type RightsAnswer,
  type RightsRequest,
  type ServiceRight,
} from './auth/rights-client';
export {
  MAX_SESSIONS_PER_STATUS_CALL,
  SESSION_STATUS_PATH,
  SessionStateUnavailable,
  remoteSessionStatus,
  sessionChecker,
  withSessionCheck,
  type FindLiveSessions,
  type SessionKey,
  type SessionStatusAnswer,
} from './auth/session-status';
export {
  generateSessionAssertionSecret,
  hopVerifier,
  readSessionAssertionSecret,
  SESSION_ASSERTION_HEADER,
  SESSION_ASSERTION_SECRET_VARIABLE,
  SESSION_ASSERTION_WINDOW_MS,
  sessionAssertions,
  type AssertedSession,
  type HopAuthentication,
  type HopRequest,
  type SessionAssertions,
  type VerifyHop,
} from './auth/session-assertion';
export {
  AUDITING_FIRM_KIND,
  createDirectoryClient,
  directoryFor,
  FIRM_USERS_PATH,
  MEMBERS_PATH,
  GEOGRAPHY_PATH,
  type BodyGeography,
  type Geography,
  type GeographyAnswer,
  MUNICIPAL_BODY_KINDS,
  regionalBodiesOf,
  type Directory,
  type DirectoryClient,
  type DirectoryMember,
  type FirmUser,
  type OrganizationKindName,
} from './auth/directory-client';
export {
  createMandatesClient,
  MANDATES_DECISION_PATH,
  mandateRegistryFor,
  type MandateInForce,
  type MandateQuestion,
  type MandateRegistry,
} from './auth/mandates-client';
export { hasRole, requireViewer, unauthenticated, type Authentication, type Viewer } from './auth/viewer';
export { auditEventResolvers, recordAudit, type AuditEntry } from './audit/audit';
export { AuditEvent, AuditEventSchema, appendOnlySql } from './audit/audit-event.entity';
export { AUDIT_MIGRATIONS } from './audit/audit-migrations';
export { auditTrailsByOrganization, findAuditConnection } from './audit/audit.repository';
export {
  CATALOG_FILE,
  catalogDeclarationIssues,
  catalogDeclarationSchema,
  loadCatalogDeclaration,
  type CatalogDeclaration,
  type CatalogDemoRight,
  type CatalogDirection,
  type CatalogService,
} from './catalog/declaration';
export {
  CATALOG_REGISTRATION_PATH,
  registerCatalog,
  type CatalogRegistration,
  type CatalogRegistrationAnswer,
  type CatalogRegistrationOutcome,
} from './catalog/registration';
export { SECTOR_NAMES, SectorCode } from './catalog/sectors';
export {
  ACCESS_MANAGER_ROLES,
  DirectionCode,
  IdentityRole,
  isRegionalDirection,
  MANDATING_ROLES,
  regionalDirection,
  regionalDirectionOfRegion,
  SERVICE_MANAGER_ROLES,
  ServiceCode,
  ServiceRole,
  WORKING_ROLES,
  type PerformRole,
  type RegionalDirectionCode,
} from './catalog/vocabulary';
export type { PeerClientName, PeerClients, SubgraphContext } from './context';
export { epochMs, systemClock, type Clock } from './clock';
export { openDatabase, type Database, type DatabaseConnection, type DatabaseDefinition } from './database/orm';
export { ERROR_CATALOG, isCatalogCode, type CatalogCode, type ErrorCodeEntry } from './error-catalog';
export { ErrorCode, badUserInput, conflict, domainError, forbidden, maskError, notFound, serviceUnavailable, SERVICE_UNAVAILABLE_MESSAGE } from './errors';
export { stableId } from './ids';
export { batchedPageLoader, childrenLoader, entityLoader, isUuid, pageLoader, requiredRecord, type FindPagesOfParents, type PageLoader } from './loaders';
export { findPagesThroughLink, linkedPageLoader, type Link } from './linked-pages';
export {
  enumValue,
  findRowPage,
  findRowPagesByParent,
  findRowPagesThroughLink,
  findRowsThroughLink,
  instantOf,
  linkedRowPageLoader,
  optionalText,
  rowPageLoader,
  text,
  type Row,
  type RowMapper,
} from './row-pages';
export { createLogger, type Logger } from './logger';
export { checkPageRequest, emptyPage, findPage, findPagesByParent, MAX_PAGE_SIZE, type Page, type PageOrder, type PageRequest } from './pagination';
export {
  connectionFromCursor,
  DEFAULT_PAGE_SIZE,
  emptyConnection,
  findConnection,
  lazyCount,
  type Connection,
  type Edge,
  type PageInfo,
} from './connection';
export { KIT_SCALARS, MoneyScalar, quebecDay } from './scalars';
export { registerMetricsRoute, sameBearerSecret, SubgraphMetrics, type MetricsAccess } from './metrics';
export { runSubgraph } from './run';
export {
  buildSubgraph,
  loadSchemaFile,
  type BuildOptions,
  type BuiltSubgraph,
  type RouteHelpers,
  type SubgraphDefinition,
  type SubgraphResolverMap,
  type SubgraphRuntime,
} from './subgraph';
export {
  daysOf,
  groupedFigures,
  integerOf,
  MAX_STATISTICS_FILTER_VALUES,
  MAX_STATISTICS_GROUPS,
  quebecDaysCondition,
  geographyFor,
  geographyRecordset,
  joinGeography,
  MRC_DIMENSION,
  REGION_DIMENSION,
  type GeographyFilter,
  statisticsIdFilter,
  statisticsValueFilter,
  textOf,
  type StatisticsDimension,
  type StatisticsRow,
} from './statistics';
export {
  EventType,
  Streams,
  Subjects,
  type Audience,
  type BusMessage,
  type DomainEvent,
  type EventBus,
  type EventSubject,
  type NotificationDelivered,
  type SessionEnded,
  type ConsumeOptions,
  type Subscription as BusSubscription,
} from './events/contract';
export { createEventBus, eventBusConfigOf, eventBusEnvironment, type EventBusConfig } from './events/bus';
export { createJetStreamBus, streamIn } from './events/jetstream-bus';
export { createPostgresBus } from './events/postgres-bus';
export { subjectMatches } from './events/subject-filter';
export { OutboxMessage, OutboxMessageSchema } from './events/outbox-message.entity';
export { OUTBOX_MIGRATIONS } from './events/outbox-migrations';
export { recordEvent, recordOutbox } from './events/outbox';
export { startOutboxRelay, type OutboxRelay } from './events/outbox-relay';
export { startPeriodicJob, type PeriodicJob, type RunningJob } from './periodic-jobs';
