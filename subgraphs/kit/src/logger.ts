import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** PostgreSQL's SQLSTATE: five characters, digits and capitals. */
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Errors as logs may show them. A database error's message and detail spell out the values of
 * the failed statement (a user's name, a NUL byte someone typed…): only its code, the names of
 * what it concerns and the statement with placeholders are kept. Any other error keeps pino's
 * usual shape (type, message, stack), with the same rule applied to what it wraps.
 */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  // A wrapper (a GraphQL error) repeats the message of the database error it wraps.
  const databaseError = errorChain(error).find(isDatabaseError);
  if (databaseError) {
    const { sqlState, code: errorCode, statement, ...names } = driverFields(databaseError);
    const code = [sqlState, errorCode].find((value) => value !== undefined && SQLSTATE.test(value));
    return {
      type: databaseError.name,
      ...(databaseError === error ? {} : { wrappedIn: error.name }),
      ...(code ? { code } : {}),
      ...definedOnly(names),
      ...(statement !== undefined ? { statement: statementShape(statement) } : {}),
    };
  }
  return pino.stdSerializers.err(error);
}

function isDatabaseError(error: Error): boolean {
  const { statement, sqlState, code } = driverFields(error);
  return statement !== undefined || [sqlState, code].some((value) => value !== undefined && SQLSTATE.test(value));
}

/**
 * The string properties a database driver adds to its errors (pg's DatabaseError, MikroORM's
 * exceptions), each undefined when absent or not a string; the names of what the error concerns
 * in pino's order: routine, table, column, constraint, schema.
 */
function driverFields(error: Error) {
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  return {
    sqlState: text('sqlState' in error ? error.sqlState : undefined),
    code: text('code' in error ? error.code : undefined),
    statement: text('statement' in error ? error.statement : undefined),
    routine: text('routine' in error ? error.routine : undefined),
    table: text('table' in error ? error.table : undefined),
    column: text('column' in error ? error.column : undefined),
    constraint: text('constraint' in error ? error.constraint : undefined),
    schema: text('schema' in error ? error.schema : undefined),
  };
}

function errorChain(error: Error): Error[] {
  const chain: Error[] = [];
  for (let current: unknown = error; current instanceof Error && chain.length < 6; ) {
    chain.push(current);
    current = ('originalError' in current ? current.originalError : undefined) ?? current.cause;
  }
  return chain;
}

/**
 * A statement with its literals replaced by `?`: what ran, without the values. Queries built by
 * the ORM already carry placeholders; raw ones arrive with their values spelled out.
 */
export function statementShape(sql: string): string {
  return sql.replace(/[Ee]?'(?:[^']|'')*'/g, '?').replace(/\b\d+(?:\.\d+)?\b/g, '?');
}

function definedOnly(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).flatMap(([name, value]) => (value === undefined ? [] : [[name, value]])));
}

/**
 * One JSON logger per service; the service name is on every line so merged logs stay readable.
 * `LOG_FORMAT=pretty` (what `npm start` sets) prints human-readable lines instead.
 */
export function createLogger(
  service: string,
  level: string,
  format = process.env.LOG_FORMAT,
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'],
      censor: '[masqué]',
    },
    ...(format === 'pretty'
      ? { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,service,name', translateTime: 'SYS:HH:MM:ss' } } }
      : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}
