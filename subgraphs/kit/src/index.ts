export { readSubgraphConfig, type SubgraphConfig, type DatabaseTarget } from './config';
export type { SubgraphContext } from './context';
export { openDatabase, type Database, type DatabaseConnection, type DatabaseDefinition } from './database/orm';
export { ErrorCode, badUserInput, domainError, forbidden, maskError, notFound } from './errors';
export { stableId } from './ids';
export { childrenLoader, entityLoader, isUuid } from './loaders';
export { createLogger, type Logger } from './logger';
export { runSubgraph } from './run';
export { buildSubgraph, loadSchemaFile, type BuildOptions, type BuiltSubgraph, type SubgraphDefinition } from './subgraph';
