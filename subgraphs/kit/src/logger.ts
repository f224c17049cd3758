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
    const fields = databaseError as Error & Record<string, unknown>;
    const code = [fields.sqlState, fields.code].find((value): value is string => typeof value === 'string' && SQLSTATE.test(value));
    return {
      type: databaseError.name,
      ...(databaseError === error ? {} : { wrappedIn: error.name }),
      ...(code ? { code } : {}),
      ...pick(fields, ['routine', 'table', 'column', 'constraint', 'schema']),
      ...(typeof fields.statement === 'string' ? { statement: statementShape(fields.statement) } : {}),
    };
  }
  return pino.stdSerializers.err(error);
}

function isDatabaseError(error: Error): boolean {
  const fields = error as Error & Record<string, unknown>;
  return typeof fields.statement === 'string' || [fields.sqlState, fields.code].some((value) => typeof value === 'string' && SQLSTATE.test(value));
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

function pick(fields: Record<string, unknown>, names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = fields[name];
      return typeof value === 'string' ? [[name, value]] : [];
    }),
  );
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
