// Every test process: nothing may leave the machine (DEVELOPERS.md), and the gateway's telemetry
// is off before anything could build one.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('./loopback-guard.cjs');
