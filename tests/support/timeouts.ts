/**
 * How long a stack may take to start (`startStack`) before it fails naming what it still waits
 * for: below jest.config.js's `testTimeout` (120 s), which bounds each file's `beforeAll`, so that
 * a slow start is reported as such instead of as Jest's bare hook time-out.
 */
export const STACK_START_TIMEOUT_MS = 100_000;
