// What the global setup hands to the global teardown: Jest runs both in its main process, where
// globalThis is shared (each test file, in its own context, never sees it).
declare global {
  // A global declaration must be `var`.
  var pgamrTestTemplatesTeardown: (() => Promise<void>) | undefined;
}

export const teardownIsSet = (): boolean => globalThis.pgamrTestTemplatesTeardown !== undefined;

export function setTeardown(teardown: () => Promise<void>): void {
  globalThis.pgamrTestTemplatesTeardown = teardown;
}

/** Runs the teardown once, whichever project's global teardown comes first. */
export async function runTeardown(): Promise<void> {
  const teardown = globalThis.pgamrTestTemplatesTeardown;
  globalThis.pgamrTestTemplatesTeardown = async () => undefined;
  await teardown?.();
}
