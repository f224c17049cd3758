// `npm run build`: every service `npm start` runs (each subgraph of supergraph.yaml and the
// gateway) bundled by esbuild into one CommonJS file beside its sources, `<workspace>/dist/index.js`
// with its source map, so that production runs `node <workspace>/dist/index.js` without tsx.
// The workspaces' own code (@pgamr/kit included) is bundled; every npm package stays in
// node_modules, loaded by node as the sources load it. `npm start` calls buildIfStale() first.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/**
 * Files that change every bundle without being in it: this script (how it bundles), the
 * TypeScript settings esbuild reads, and the lockfile (which copy of a package a source finds).
 */
const BUILD_INPUTS = [path.relative(ROOT, fileURLToPath(import.meta.url)), 'tsconfig.base.json', 'package-lock.json'];

/**
 * What is built: each subgraph supergraph.yaml names (its entry sits beside its schema, in
 * src/index.ts), the gateway, the kit's environment module, which scripts/start.mjs reads
 * to name each subgraph's variables as the services do, and the kit's embedded PostgreSQL, which
 * it starts for them. Paths are relative to the repository.
 */
export function buildTargets(root = ROOT) {
  const supergraph = parseYaml(readFileSync(path.join(root, 'supergraph.yaml'), 'utf8'));
  return [
    ...Object.entries(supergraph.subgraphs).map(([name, subgraph]) => {
      const folder = path.normalize(path.dirname(subgraph.schema.file));
      return { name, entry: path.join(folder, 'src', 'index.ts'), outfile: path.join(folder, 'dist', 'index.js') };
    }),
    { name: 'gateway', entry: path.join('gateway', 'src', 'index.ts'), outfile: path.join('gateway', 'dist', 'index.js') },
    {
      name: 'kit/environment',
      entry: path.join('subgraphs', 'kit', 'src', 'environment.ts'),
      outfile: path.join('subgraphs', 'kit', 'dist', 'environment.js'),
    },
    // The embedded PostgreSQL server, which scripts/start.mjs starts for the subgraphs.
    {
      name: 'kit/embedded-postgres',
      entry: path.join('subgraphs', 'kit', 'src', 'database', 'embedded-postgres.ts'),
      outfile: path.join('subgraphs', 'kit', 'dist', 'embedded-postgres.js'),
    },
  ];
}

/** The files a build was made from, written beside it: the staleness check reads them back. */
const inputsFile = (outfile) => `${outfile}.inputs.json`;

/**
 * Why `target` must be built again, or null when its bundle is newer than every file it was made
 * from (its sources, the kit's, this script). A quick check: one stat per input, no esbuild.
 */
export function staleReason(target, root = ROOT) {
  const outfile = path.join(root, target.outfile);
  if (!existsSync(outfile) || !existsSync(inputsFile(outfile))) return 'pas encore construit';
  const builtAt = statSync(outfile).mtimeMs;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile(outfile), 'utf8'));
  } catch {
    return 'liste de sources illisible';
  }
  for (const input of inputs) {
    const file = path.join(root, input);
    if (!existsSync(file)) return `${input} a disparu`;
    if (statSync(file).mtimeMs > builtAt) return `${input} a changé`;
  }
  return null;
}

/**
 * Resolves `__dirname` in a bundled source file to that file's own folder, as when it runs from
 * its sources: the services find their SDL (`loadSchemaFile(__dirname)`), catalog.json, the
 * repository root and GraphiQL's page relative to the file that names them, not to the bundle.
 */
function sourceDirname(outdir) {
  return {
    name: 'source-dirname',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return { contents: source, loader: 'ts' };
        const relative = path.relative(outdir, path.dirname(args.path)).split(path.sep).join('/');
        return {
          contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(relative)})`),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * Leaves every npm package out of the bundle (node loads it from node_modules at run time), but
 * bundles the workspaces' own packages (`@pgamr/…`, whose exports are TypeScript). A package the
 * source file finds in a nested node_modules that the bundle's folder would not find (the kit's
 * own copy of a package, for instance) is required by its path, so the bundle loads the same file.
 */
function externalPackages(outfile) {
  const fromBundle = createRequire(outfile);
  return {
    name: 'external-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        // require.resolve() asks node for a path at run time (the GraphiQL build's sources): left to node.
        if (args.kind === 'require-resolve') return { path: args.path, external: true };
        if (args.path.startsWith('@pgamr/') || path.isAbsolute(args.path)) return undefined;
        if (isBuiltin(args.path)) return { path: args.path, external: true };
        let fromSource;
        let fromOutput;
        try {
          fromSource = createRequire(args.importer).resolve(args.path);
          fromOutput = fromBundle.resolve(args.path);
        } catch {
          // Not resolvable through require (an ESM-only export map): left as the source wrote it.
          return { path: args.path, external: true };
        }
        if (fromSource === fromOutput) return { path: args.path, external: true };
        const relative = path.relative(path.dirname(outfile), fromSource).split(path.sep).join('/');
        return { path: relative.startsWith('.') ? relative : `./${relative}`, external: true };
      });
    },
  };
}

/** Bundles one target; records the files it was made from for {@link staleReason}. */
async function buildTarget(esbuild, target, root) {
  const outfile = path.join(root, target.outfile);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, target.entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    sourcemap: 'linked',
    // The map points at the sources in the repository; it need not carry them.
    sourcesContent: false,
    // MikroORM names entities after their classes: no class may be renamed by the bundling.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    plugins: [sourceDirname(path.dirname(outfile)), externalPackages(outfile)],
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/')), ...BUILD_INPUTS].sort();
  writeFileSync(inputsFile(outfile), `${JSON.stringify(inputs, null, 2)}\n`);
}

/** Builds every target (all of them when `force`, else only the stale ones); returns what it built. */
export async function build({ force = true, root = ROOT, log = () => {} } = {}) {
  const targets = buildTargets(root);
  const stale = force ? targets.map((target) => ({ target, reason: 'demandé' })) : targets.map((target) => ({ target, reason: staleReason(target, root) })).filter(({ reason }) => reason);
  if (stale.length === 0) return [];
  // esbuild is a build tool (a dev dependency): loaded only when something must be built.
  const esbuild = await import('esbuild');
  for (const { target, reason } of stale) log(`construction de ${target.name} (${reason}) → ${target.outfile}`);
  try {
    await Promise.all(stale.map(({ target }) => buildTarget(esbuild, target, root)));
  } finally {
    // esbuild's service process (about 70 MiB) would otherwise live as long as npm start.
    await esbuild.stop();
  }
  return stale.map(({ target }) => target);
}

/** `npm start`'s check: builds what is missing or older than its sources, nothing otherwise. */
export const buildIfStale = (options = {}) => build({ ...options, force: false });

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  build({ force: !process.argv.includes('--if-stale'), log: (line) => console.log(line) })
    .then((built) => console.log(`${built.length} bundle(s) construit(s) en ${((Date.now() - started) / 1000).toFixed(1)} s`))
    .catch((error) => {
      // esbuild has printed the errors themselves.
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    });
}
