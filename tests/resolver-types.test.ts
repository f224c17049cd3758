import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GENERATED_FILE, MAPPERS_FILE, staleResolverTypes, subgraphDirs } from '../scripts/codegen/resolver-types';

const REPOSITORY = path.resolve(__dirname, '..');

describe("each subgraph's resolver types (npm run codegen, npm run codegen:check)", () => {
  it('every subgraph with a schema.graphql has committed resolver types, and none is stale (else: npm run codegen)', async () => {
    expect(subgraphDirs(REPOSITORY).map((dir) => path.basename(dir))).toEqual(expect.arrayContaining(['identity', 'mandates', 'road-aid', 'services']));
    expect(await staleResolverTypes(REPOSITORY)).toEqual([]);
  }, 60_000);

  describe('the check, on a copy of road-aid', () => {
    let root: string;
    let subgraph: string;
    beforeEach(() => {
      root = mkdtempSync(path.join(tmpdir(), 'pgamr-resolver-types-'));
      subgraph = path.join(root, 'subgraphs', 'road-aid');
      for (const file of ['schema.graphql', MAPPERS_FILE, GENERATED_FILE]) {
        cpSync(path.join(REPOSITORY, 'subgraphs', 'road-aid', file), path.join(subgraph, file));
      }
    });
    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds the copy fresh, as committed', async () => {
      expect(await staleResolverTypes(root)).toEqual([]);
    });

    it('fails when the SDL changed and its resolver types were not regenerated', async () => {
      const sdl = path.join(subgraph, 'schema.graphql');
      const changed = readFileSync(sdl, 'utf8').replace(/^type RoadAidApplication (.*)\{$/m, 'type RoadAidApplication $1{\n  "Un champ ajouté sans régénérer."\n  addedField: String');
      expect(changed).toContain('addedField: String');
      writeFileSync(sdl, changed);
      expect(await staleResolverTypes(root)).toEqual([{ subgraph: 'road-aid', file: path.join('subgraphs', 'road-aid', GENERATED_FILE) }]);
    });

    it('fails when a mapper is added and the resolver types were not regenerated', async () => {
      const mappers = path.join(subgraph, MAPPERS_FILE);
      writeFileSync(mappers, `${readFileSync(mappers, 'utf8')}export type PageInfoMapper = { hasNextPage: boolean };\n`);
      expect(await staleResolverTypes(root)).toHaveLength(1);
    });

    it('refuses a mapper named after no type of the SDL (a typo, a renamed type), which would be ignored', async () => {
      const mappers = path.join(subgraph, MAPPERS_FILE);
      writeFileSync(mappers, `${readFileSync(mappers, 'utf8')}export type RoadAidAplicationMapper = { id: string };\n`);
      await expect(staleResolverTypes(root)).rejects.toThrow('names types its schema.graphql lacks: RoadAidAplication');
    });

    it('fails when the generated file was edited by hand, or is missing', async () => {
      const generated = path.join(subgraph, GENERATED_FILE);
      writeFileSync(generated, readFileSync(generated, 'utf8').replace("Scalars['Money']['output']", 'number'));
      expect(await staleResolverTypes(root)).toHaveLength(1);
      rmSync(generated);
      expect(await staleResolverTypes(root)).toHaveLength(1);
    });
  });
});
