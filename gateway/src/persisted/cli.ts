import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildManifest } from './manifest';

/**
 * `npm run trusted-documents [operations folder] [manifest]`: writes the manifest of trusted
 * documents from a front end's `.graphql` files (one named operation each, with its fragments).
 */
async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const folder = path.resolve(process.argv[2] ?? path.join(root, 'clients', 'portal', 'operations'));
  const output = path.resolve(process.argv[3] ?? path.join(root, 'clients', 'portal', 'trusted-documents.json'));
  const files = (await readdir(folder)).filter((file) => file.endsWith('.graphql')).sort();
  if (files.length === 0) throw new Error(`Aucun fichier .graphql dans ${folder}`);
  const sources = await Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(folder, file), 'utf8') })));
  const manifest = buildManifest(sources);
  await writeFile(output, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`${manifest.operations.length} opérations de confiance écrites dans ${path.relative(process.cwd(), output)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
