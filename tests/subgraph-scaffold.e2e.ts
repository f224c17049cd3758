import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_REGISTRATION_PATH, RIGHTS_PATH, stableId, type SubgraphDefinition } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer } from '@pgamr/kit/testing';
import { servicesSubgraph } from '@pgamr/services';
import { composeSubgraphs, readSubgraphSources } from '../gateway/src/compose/compose';
import { staleResolverTypes } from '../scripts/codegen/resolver-types';
import { execute } from './support/graphql';

const REPOSITORY = path.resolve(__dirname, '..');
// A throw-away name and service per run: the scaffold never touches package.json or supergraph.yaml here.
const SUFFIX = randomBytes(3).toString('hex');
const NAME = `scaffold-check-${SUFFIX}`;
const SERVICE = `SCAFFOLD-${SUFFIX.toUpperCase()}`;
const DIRECTION = 'DGSCAF';
const MINISTRY = 'Ministère des Essais « échafaudés »';
const FOLDER = path.join(REPOSITORY, 'subgraphs', NAME);
const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: REPOSITORY, encoding: 'utf8', stdio: 'pipe', env: process.env });

/** Every file of the repository outside the new subgraph's folder (tracked or not, ignored ones aside), by the hash of its content. */
function filesOutsideTheNewFolder(): Map<string, string> {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPOSITORY, encoding: 'utf8' });
  const files = listed.split('\0').filter((file) => file && !file.startsWith(`subgraphs/${NAME}/`));
  return new Map(
    files.map((file) => {
      const absolute = path.join(REPOSITORY, file);
      return [file, existsSync(absolute) ? createHash('sha256').update(readFileSync(absolute)).digest('hex') : 'deleted'];
    }),
  );
}

let before: Map<string, string>;
let after: Map<string, string>;

beforeAll(() => {
  before = filesOutsideTheNewFolder();
  node([
    'scripts/new-subgraph.mjs', NAME,
    '--entity', 'ScaffoldRecord', '--service', SERVICE, '--direction', DIRECTION, '--ministry', MINISTRY,
    '--port', '4999', '--no-register',
  ]);
  after = filesOutsideTheNewFolder();
}, 120_000);

afterAll(() => {
  rmSync(FOLDER, { recursive: true, force: true });
});

describe('R23: `npm run subgraph:new` gives a new ministry a working subgraph without edits', () => {
  it("writes its own folder only, with its catalog declaration: not one file of services (or of anyone else) changes", () => {
    expect(after).toEqual(before);
    expect([...after.keys()].some((file) => file.startsWith('subgraphs/services/'))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(FOLDER, 'catalog.json'), 'utf8'))).toMatchObject({
      directions: { [DIRECTION]: { ministry: MINISTRY } },
      services: [{ code: SERVICE, sector: 'INFRASTRUCTURES', direction: DIRECTION }],
      demoRights: [{ user: 'MAG0000002', organization: 'MUN-45072', service: SERVICE, role: 'USER' }],
    });
  });

  it('composes with the subgraphs already in the supergraph', () => {
    const scaffolded = { name: NAME, routingUrl: 'http://127.0.0.1:4999/graphql', schemaFile: path.join(FOLDER, 'schema.graphql') };
    const outcome = composeSubgraphs([
      ...readSubgraphSources(path.join(REPOSITORY, 'supergraph.yaml')),
      { ...scaffolded, sdl: readFileSync(scaffolded.schemaFile, 'utf8') },
    ]);
    expect(outcome.ok ? [] : outcome.errors).toEqual([]);
  });

  it("types its resolvers from its SDL like every subgraph: its generated resolver types are fresh, and its resolvers type-check against them", async () => {
    expect(await staleResolverTypes(REPOSITORY, [FOLDER])).toEqual([]);
    const tsc = spawnSync(process.execPath, [path.join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', FOLDER], { cwd: REPOSITORY, encoding: 'utf8' });
    // Only the new folder's own errors: checked alone, the kit's sources meet other lib settings.
    expect(tsc.stdout.split('\n').filter((line) => line.startsWith(`subgraphs/${NAME}/`))).toEqual([]);
  }, 120_000);

  it('passes its own generated test, against its generated migration', () => {
    const testFile = path.join('subgraphs', NAME, 'test', `${NAME}.test.ts`);
    const run = () =>
      node(['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', testFile, '--selectProjects', 'subgraph']);
    // execFileSync throws, with jest's output, when the generated test fails.
    expect(() => run()).not.toThrow();
  }, 120_000);

  describe("R7, R23: its declared service reaches services' catalog and decision point as it starts", () => {
    let issuer: TestTokenIssuer;
    let services: TestSubgraph;
    let scaffolded: TestSubgraph;

    beforeAll(async () => {
      issuer = await startTestTokenIssuer();
      services = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl });
      const exported = (await import(path.join(FOLDER, 'src', 'server.ts'))) as Record<string, SubgraphDefinition<unknown>>;
      const definition = Object.values(exported).find((value) => value.name === NAME)!;
      scaffolded = await startTestSubgraph(definition, {
        jwksUrl: issuer.jwksUrl,
        rightsUrl: `${services.origin}${RIGHTS_PATH}`,
        catalogUrl: `${services.origin}${CATALOG_REGISTRATION_PATH}`,
      });
    }, 120_000);

    afterAll(async () => {
      await scaffolded?.close();
      await services?.close();
      await issuer?.close();
    });

    const as = async (code: string) => ({
      authorization: `Bearer ${await issuer.mint({ userId: stableId('user', code), organizationId: stableId('organization', 'MUN-45072') })}`,
    });

    it('registers its service with services, under its own direction and ministry', async () => {
      expect(await scaffolded.catalogRegistration).toEqual({ status: 'registered', answer: { created: [SERVICE], existing: [], demoRights: 1 } });
      const { data } = await execute<{ onlineService: unknown }>(
        services.url,
        'query($id: ID!) { onlineService(id: $id) { code sector { code } owner { ministry directionCode } } }',
        { id: stableId('online-service', SERVICE) },
        await as('MAG0000002'),
      );
      expect(data?.onlineService).toEqual({ code: SERVICE, sector: { code: 'INFRASTRUCTURES' }, owner: { ministry: MINISTRY, directionCode: DIRECTION } });
    });

    it("R14: services' decision point answers the declared demo right: Marc works in it, his colleague is refused", async () => {
      await scaffolded.catalogRegistration;
      const create = 'mutation($input: CreateScaffoldRecordInput!) { createScaffoldRecord(input: $input) { scaffoldRecord { title } } }';
      const input = { organizationId: stableId('organization', 'MUN-45072'), title: 'Demande de démonstration' };
      const allowed = await execute<{ createScaffoldRecord: unknown }>(scaffolded.url, create, { input }, await as('MAG0000002'));
      expect(allowed.errors).toBeUndefined();
      expect(allowed.data?.createScaffoldRecord).toEqual({ scaffoldRecord: { title: 'Demande de démonstration' } });
      const refused = await execute(scaffolded.url, create, { input }, await as('MAG0000003'));
      expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    });
  });
});
