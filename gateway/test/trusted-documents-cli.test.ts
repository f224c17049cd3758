import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSchema } from 'graphql';
import { invalidOperations } from '../src/persisted/manifest';

const REPOSITORY = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPOSITORY, 'gateway', 'src', 'persisted', 'cli.ts');
const OPERATIONS = path.join(REPOSITORY, 'clients', 'portal', 'operations');

function trustedDocuments(folder: string, manifest: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', CLI, folder, manifest], { cwd: REPOSITORY, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('npm run trusted-documents: only operations valid against the API schema', () => {
  let dir: string;
  let operations: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgamr-trusted-documents-'));
    operations = path.join(dir, 'operations');
    mkdirSync(operations);
    for (const file of readdirSync(OPERATIONS)) writeFileSync(path.join(operations, file), readFileSync(path.join(OPERATIONS, file)));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("the portal's committed operations are valid against the committed schema.graphql", () => {
    const schema = buildSchema(readFileSync(path.join(REPOSITORY, 'schema.graphql'), 'utf8'));
    const sources = readdirSync(OPERATIONS).map((file) => ({ file, text: readFileSync(path.join(OPERATIONS, file), 'utf8') }));
    expect(invalidOperations(sources, schema)).toEqual([]);
  });

  it('writes the manifest when every operation is valid', () => {
    const manifest = path.join(dir, 'trusted-documents.json');
    const { status, output } = trustedDocuments(operations, manifest);
    expect(output).toMatch(/opérations de confiance, valides contre schema\.graphql/);
    expect(status).toBe(0);
    expect(readFileSync(manifest, 'utf8')).toBe(readFileSync(path.join(REPOSITORY, 'clients', 'portal', 'trusted-documents.json'), 'utf8'));
  });

  it('fails on an operation the schema cannot run, naming the file and the error, and writes nothing', () => {
    writeFileSync(path.join(operations, 'Bad.graphql'), 'query Bad { me { nonExistentField } }\n');
    writeFileSync(path.join(operations, 'Broken.graphql'), 'query Broken { me { id }\n');
    const manifest = path.join(dir, 'trusted-documents.json');

    const { status, output } = trustedDocuments(operations, manifest);
    expect(status).toBe(1);
    expect(output).toContain('Bad.graphql, ligne 1, colonne 18 : opération invalide contre le schéma de l\'API — Cannot query field "nonExistentField" on type "User".');
    expect(output).toMatch(/Broken\.graphql, ligne 2, colonne 1 : opération illisible — Syntax Error/);
    expect(output).toContain('Aucun manifeste écrit');
    expect(existsSync(manifest)).toBe(false);

    // An existing manifest is left as it was.
    writeFileSync(manifest, '{"before":true}\n');
    expect(trustedDocuments(operations, manifest).status).toBe(1);
    expect(readFileSync(manifest, 'utf8')).toBe('{"before":true}\n');
  });
});
