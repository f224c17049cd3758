// Drops the template databases (or removes the PGlite dumps) of the global setup.
import { runTeardown } from './global-state';

export default async function globalTeardown(): Promise<void> {
  await runTeardown();
}
