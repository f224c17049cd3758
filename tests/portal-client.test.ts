import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { print, type DocumentNode } from 'graphql';
import * as committedClient from '../clients/portal/generated/graphql';

const REPOSITORY = path.resolve(__dirname, '..');
const PORTAL = path.join(REPOSITORY, 'clients', 'portal');
const COMMITTED = path.join(PORTAL, 'generated');

/** Runs `npm run codegen`'s GraphQL Code Generator, writing into `out`. */
function codegen(out: string) {
  const result = spawnSync(path.join(REPOSITORY, 'node_modules', '.bin', 'graphql-codegen'), ['--config', 'codegen.ts', '--silent'], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    env: { ...process.env, PORTAL_CODEGEN_OUT: out },
  });
  if (result.status !== 0) throw new Error(`graphql-codegen failed:\n${result.stdout}${result.stderr}`);
}

const filesOf = (dir: string) => readdirSync(dir).sort();

describe("the portal's typed client (npm run codegen)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgamr-portal-client-'));
    codegen(path.join(dir, 'generated'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the committed clients/portal/generated/ is what the operations and schema.graphql generate (else: npm run codegen)', () => {
    const fresh = path.join(dir, 'generated');
    expect(filesOf(COMMITTED)).toEqual(filesOf(fresh));
    for (const file of filesOf(fresh)) {
      expect([file, readFileSync(path.join(COMMITTED, file), 'utf8')]).toEqual([file, readFileSync(path.join(fresh, file), 'utf8')]);
    }
  });

  it('each generated document prints to the body of its trusted document, so either may be sent', () => {
    const manifest = JSON.parse(readFileSync(path.join(PORTAL, 'trusted-documents.json'), 'utf8')) as { operations: Array<{ name: string; body: string }> };
    const generated = committedClient as unknown as Record<string, DocumentNode | undefined>;
    for (const { name, body } of manifest.operations) {
      const document = generated[`${name}Document`];
      expect([name, document && print(document)]).toEqual([name, body]);
    }
  });

  it('type-checks a client module using it, and refuses a variable of the wrong type', () => {
    // The module and the fresh client side by side, resolving packages from the repository.
    copyFileSync(path.join(PORTAL, 'example.ts'), path.join(dir, 'example.ts'));
    symlinkSync(path.join(REPOSITORY, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    writeFileSync(
      path.join(dir, 'misuse.ts'),
      [
        "import { DossiersDocument } from './generated/graphql';",
        "import { execute } from './example';",
        "void execute('http://127.0.0.1/graphql', DossiersDocument, { first: 'vingt' });",
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: path.join(REPOSITORY, 'tsconfig.base.json'),
        compilerOptions: { types: ['node'] },
        include: ['*.ts', 'generated'],
      }),
    );
    const tsc = spawnSync(process.execPath, [path.join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], { cwd: dir, encoding: 'utf8' });
    const errors = tsc.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
    // Exactly one error, the misuse: `first` is an Int in the schema, so a number in TypeScript.
    expect(errors).toEqual([expect.stringMatching(/^misuse\.ts\(3,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/)]);
  }, 60_000);
});
