// Drops the template databases of the global setup (or stops its embedded server).
import { runTeardown } from './global-state';

export default async function globalTeardown(): Promise<void> {
  await runTeardown();
}
