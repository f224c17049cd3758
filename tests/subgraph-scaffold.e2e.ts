import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { composeSubgraphs, readSubgraphSources } from '../gateway/src/compose/compose';

const REPOSITORY = path.resolve(__dirname, '..');
// A throw-away name per run: the scaffold never touches package.json or supergraph.yaml here.
const NAME = `scaffold-check-${randomBytes(3).toString('hex')}`;
const FOLDER = path.join(REPOSITORY, 'subgraphs', NAME);
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: REPOSITORY, encoding: 'utf8', stdio: 'pipe', env: process.env });

beforeAll(() => {
  node(['scripts/new-subgraph.mjs', NAME, '--service', 'SCAFFOLD', '--port', '4999', '--no-register']);
}, 120_000);

afterAll(() => {
  rmSync(FOLDER, { recursive: true, force: true });
});

describe('R23: `npm run subgraph:new` gives a new ministry a working subgraph without edits', () => {
  it('composes with the subgraphs already in the supergraph', () => {
    const scaffolded = { name: NAME, routingUrl: 'http://127.0.0.1:4999/graphql', schemaFile: path.join(FOLDER, 'schema.graphql') };
    const outcome = composeSubgraphs([
      ...readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')),
      { ...scaffolded, sdl: readFileSync(scaffolded.schemaFile, 'utf8') },
    ]);
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  });

  it('passes its own generated test, against its generated migration', () => {
    const testFile = path.join('subgraphs', NAME, 'test', `${NAME}.test.ts`);
    const run = () =>
      node(['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', testFile, '--selectProjects', 'subgraph']);
    // execFileSync throws, with jest's output, when the generated test fails.
    expect(() => run()).not.toThrow();
  }, 120_000);
});
