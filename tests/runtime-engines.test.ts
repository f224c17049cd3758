import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';

// Every package the product installs to run (the gateway's and the subgraphs' dependencies, all the
// way down, as package-lock.json installs them) supports every Node.js version the README and the
// root package.json's `engines` promise. A package asking for a newer Node than that (an upgrade
// of @opentelemetry/sdk-node once asked for Node ≥ 22) fails here instead of in production.

const REPOSITORY = path.resolve(__dirname, '..');

interface LockedPackage {
  version?: string;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  engines?: { node?: string } | string[];
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const root = JSON.parse(readFileSync(path.join(REPOSITORY, 'package.json'), 'utf8')) as { engines: { node: string }; workspaces: string[] };
const lock = JSON.parse(readFileSync(path.join(REPOSITORY, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockedPackage> };

/** The workspaces that run in production; bench is a development tool. */
const RUNTIME_WORKSPACES = root.workspaces.filter((workspace) => workspace !== 'bench');

/** Where node finds `name` from the package installed at `from`: the nearest node_modules up the tree. */
function locate(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.posix.dirname(dir)) {
    if (path.posix.basename(dir) !== 'node_modules') {
      const candidate = dir === '.' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (lock.packages[candidate]) return candidate;
    }
    if (dir === '.') return undefined;
  }
}

function nodeEngine(entry: LockedPackage): string | undefined {
  if (Array.isArray(entry.engines)) return entry.engines.find((engine) => engine.startsWith('node'))?.replace(/^node\s*/, '');
  return entry.engines?.node;
}

/** Every installed package reachable from the runtime workspaces, by its lockfile path. */
function runtimePackages(): Map<string, LockedPackage> {
  const found = new Map<string, LockedPackage>();
  const queue = [...RUNTIME_WORKSPACES];
  while (queue.length > 0) {
    const location = queue.pop()!;
    const entry = lock.packages[location];
    if (!entry || found.has(location)) continue;
    if (entry.link && entry.resolved) {
      queue.push(entry.resolved);
      continue;
    }
    found.set(location, entry);
    const names = [entry.dependencies, entry.optionalDependencies, entry.peerDependencies].flatMap((deps) => Object.keys(deps ?? {}));
    for (const name of names) {
      const dependency = locate(location, name);
      // An optional or peer dependency that is not installed (another platform's binary) is not run.
      if (dependency) queue.push(dependency);
    }
  }
  return found;
}

describe('Node.js engines of the runtime dependencies', () => {
  const supported = root.engines.node;

  it('finds the runtime packages in package-lock.json', () => {
    const packages = runtimePackages();
    expect([...packages.keys()]).toEqual(expect.arrayContaining(['gateway', 'subgraphs/kit', 'node_modules/@apollo/gateway', 'node_modules/fastify']));
    // Development tools are not among them.
    expect([...packages.keys()].some((location) => location.endsWith('node_modules/typescript'))).toBe(false);
  });

  it(`every package the gateway and the subgraphs install supports the Node.js versions of engines.node (${root.engines.node})`, () => {
    const unsupported = [...runtimePackages()]
      .map(([location, entry]) => ({ location, version: entry.version, engine: nodeEngine(entry) }))
      .filter(({ engine }) => engine !== undefined && !semver.subset(supported, engine))
      .map(({ location, version, engine }) => `${location.replace(/^.*node_modules\//, '')}@${version} (${location}) asks for Node ${engine}`);
    expect(unsupported).toEqual([]);
  });

  it('the check itself: a range narrower than engines.node is refused, a wider one accepted', () => {
    expect(semver.subset(supported, '>=22.15.0')).toBe(false);
    expect(semver.subset(supported, '^18.19.0 || >=20.6.0')).toBe(true);
  });
});
