import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const PAGE_DIR = path.join(__dirname, 'page');
/** Where the built page lives (git-ignored): `index.html`, `graphiql.js`, `graphiql.css`. */
export const GRAPHIQL_BUILD_DIR = path.resolve(__dirname, '..', '..', '.graphiql');
const FINGERPRINT_FILE = 'fingerprint';
// The page's sources and the packages bundled into it: any change means a stale build.
const BUNDLED_PACKAGES = ['graphiql', '@graphiql/react', '@graphiql/toolkit', '@graphiql/plugin-explorer', 'react', 'react-dom', 'graphql-sse', 'graphql-ws'];

const INDEX_HTML = `<!doctype html>
<html lang="fr">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>PGAMR — GraphiQL</title>
    <link rel="stylesheet" href="/graphiql/graphiql.css" />
  </head>
  <body>
    <div id="root"></div>
    <script src="/graphiql/graphiql.js"></script>
  </body>
</html>
`;

// Sources of the page outside its folder: the kit's error catalog, shown in the « Codes d'erreur » panel.
const BUNDLED_SOURCES = [require.resolve('@pgamr/kit/error-catalog')];

/** What the build in `dir` was made from; equal fingerprints mean it is up to date. */
async function sourceFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of (await readdir(PAGE_DIR)).sort()) {
    hash.update(file).update(await readFile(path.join(PAGE_DIR, file)));
  }
  for (const file of BUNDLED_SOURCES) hash.update(file).update(await readFile(file));
  hash.update(INDEX_HTML);
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(await readFile(require.resolve(`${name}/package.json`), 'utf8')) as { version: string };
    hash.update(`${name}@${manifest.version}`);
  }
  return hash.digest('hex');
}

async function builtFingerprint(dir: string): Promise<string | null> {
  return readFile(path.join(dir, FINGERPRINT_FILE), 'utf8').catch(() => null);
}

/**
 * Bundles the page with esbuild (minified JS and CSS, licences in linked files) into `dir`.
 * Builds beside it and renames, so that a server reading `dir`, or another process building
 * the same page at the same time, never sees half a build.
 */
export async function buildGraphiqlPage(dir: string = GRAPHIQL_BUILD_DIR): Promise<void> {
  // esbuild is a build tool (a dev dependency): loaded only when a build is needed.
  const { build } = await import('esbuild');
  const fingerprint = await sourceFingerprint();
  const staging = `${dir}.${randomUUID()}`;
  await mkdir(staging, { recursive: true });
  try {
    await build({
      entryPoints: { graphiql: path.join(PAGE_DIR, 'app.tsx') },
      outdir: staging,
      tsconfig: path.join(PAGE_DIR, 'tsconfig.json'),
      bundle: true,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2022'],
      jsx: 'automatic',
      define: { 'process.env.NODE_ENV': '"production"' },
      legalComments: 'linked',
      logLevel: 'silent',
    });
    await writeFile(path.join(staging, 'index.html'), INDEX_HTML);
    await writeFile(path.join(staging, FINGERPRINT_FILE), fingerprint);
    await rm(dir, { recursive: true, force: true });
    await rename(staging, dir).catch(async (error: unknown) => {
      // Another process finished the same build first: theirs is as good as ours.
      if ((await builtFingerprint(dir)) !== fingerprint) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Builds the page into `dir` unless the build there is from the current sources. */
export async function ensureGraphiqlPage(dir: string = GRAPHIQL_BUILD_DIR): Promise<void> {
  if ((await builtFingerprint(dir)) === (await sourceFingerprint())) return;
  await buildGraphiqlPage(dir);
}
