import path from 'node:path';

/**
 * The arguments of `node` that run a service as production and `npm start` do: its bundle
 * (scripts/build.mjs, `<workspace>/dist/index.js`, built by the tests' global setup when stale)
 * with source maps, rather than its TypeScript through tsx, which costs each process a second
 * of compiling. `entry` is the service's source entry, `<workspace>/src/index.ts`.
 */
export function bundledService(entry: string): string[] {
  const bundle = entry.replace(/([\\/])src[\\/]index\.ts$/, '$1dist$1index.js');
  if (bundle === entry) throw new Error(`${entry} is not a service's src/index.ts`);
  return ['--enable-source-maps', path.normalize(bundle)];
}
