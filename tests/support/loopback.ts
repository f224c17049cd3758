// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require('./loopback-guard.cjs') as {
  isLoopbackHost: (host: unknown) => boolean;
  violations: string[];
};

/** Whether a host name or address stays on this machine. */
export const isLoopbackHost = guard.isLoopbackHost;

/** The non-loopback connections attempted (and refused) in this process so far. */
export const outgoingConnections = (): string[] => [...guard.violations];
