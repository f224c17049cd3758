import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

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
