import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema } from 'graphql';
import { buildManifest, invalidOperations } from './manifest';

/**
 * `npm run trusted-documents [operations folder] [manifest] [--schema schema.graphql]`: checks
 * every document of a front end (one named operation each, with its fragments) against the API
 * schema, then writes the manifest of trusted documents. One invalid operation, and nothing is
 * written: the gateway in `trusted` mode would otherwise accept documents that can only fail.
 */
async function main(): Promise<number> {
  const root = path.resolve(__dirname, '..', '..', '..');
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { schema: { type: 'string' } } });
  const folder = path.resolve(positionals[0] ?? path.join(root, 'clients', 'portal', 'operations'));
  const output = path.resolve(positionals[1] ?? path.join(root, 'clients', 'portal', 'trusted-documents.json'));
  const schemaPath = path.resolve(values.schema ?? path.join(root, 'schema.graphql'));
  const shown = (file: string) => path.relative(process.cwd(), file);

  if (!existsSync(schemaPath)) throw new Error(`Schéma de l'API introuvable (${shown(schemaPath)}) : lancez \`npm run compose\`.`);
  const schema = buildSchema(await readFile(schemaPath, 'utf8'));
  const files = (await readdir(folder)).filter((file) => file.endsWith('.graphql')).sort();
  if (files.length === 0) throw new Error(`Aucun fichier .graphql dans ${folder}`);
  const sources = await Promise.all(files.map(async (file) => ({ file, text: await readFile(path.join(folder, file), 'utf8') })));

  const problems = invalidOperations(sources, schema);
  if (problems.length > 0) {
    process.stderr.write(`${problems.length} erreur(s) dans les opérations de ${shown(folder)}, contre ${shown(schemaPath)} :\n`);
    for (const problem of problems) process.stderr.write(`  ✗ ${problem}\n`);
    process.stderr.write(`Aucun manifeste écrit : corrigez ces opérations (${shown(output)} est inchangé).\n`);
    return 1;
  }
  const manifest = buildManifest(sources);
  await writeFile(output, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`${manifest.operations.length} opérations de confiance, valides contre ${shown(schemaPath)}, écrites dans ${shown(output)}\n`);
  return 0;
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
