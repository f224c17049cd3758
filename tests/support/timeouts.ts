/**
 * How long a stack may take to start (`startStack`) before it fails naming what it still waits
 * for: below jest.config.js's `testTimeout` (180 s), which bounds each file's `beforeAll`, so that
 * a slow start is reported as such instead of as Jest's bare hook time-out.
 * `TEST_STACK_START_TIMEOUT_MS` lowers it, to see that report (and that Jest still exits).
 */
export const STACK_START_TIMEOUT_MS = Number(process.env.TEST_STACK_START_TIMEOUT_MS ?? 150_000);
