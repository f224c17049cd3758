import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DirectionCode, IdentityRole, isRegionalDirection, loadCatalogDeclaration, ServiceCode, ServiceRole } from '@pgamr/kit';

// Issue 15, style §8: a role or a service code is written once, in the kit's vocabulary (or, for
// a ministry's own codes, in its subgraph's vocabulary module), and product code names the
// constant. A string retyped elsewhere is what silently denies everything after a rename.
// TODO(issue 15): also fail on a refusal (`forbidden(`, `FORBIDDEN`) outside each subgraph's
// src/policy.ts, once those policy modules exist; today's rule modules would all be exceptions.

const REPOSITORY = path.resolve(__dirname, '..');
const KIT_VOCABULARY = 'subgraphs/kit/src/catalog/vocabulary.ts';
/** Where a subgraph types the codes its own catalog.json declares (R23), e.g. road-aid's PAVL. */
const OWN_VOCABULARY = 'src/vocabulary.ts';

/**
 * Literals allowed outside the vocabulary, each with its reason. Keep it short: a new entry is a
 * word that is *not* the role or the code, only spelled the same.
 */
const ALLOWED: ReadonlyArray<{ file: string; literal: string; reason: string }> = [
  {
    file: 'subgraphs/services/src/access/access.entity.ts',
    literal: 'LOCAL_MANAGER',
    reason: "AccessRequestKind.LocalManager, the API's AccessRequestKind value of a request to become local manager (R8), not the role; a string enum member takes a literal only",
  },
  {
    file: 'subgraphs/mandates/src/dossier/program-forms.ts',
    literal: 'TECQ',
    reason: "FormKind.Tecq, the API's FormKind value naming the TECQ program's form, not the service code; a string enum member takes a literal only",
  },
];

interface SourceFile {
  /** Relative to the repository, with forward slashes. */
  file: string;
  text: string;
}

interface Violation {
  file: string;
  line: number;
  literal: string;
  word: string;
}

/** Every word of the vocabulary, with what it names; regional directions (DR-05) go by their pattern. */
function portalWords(): Map<string, string> {
  const words = new Map<string, string>();
  for (const role of Object.values(IdentityRole)) words.set(role, 'identity role');
  for (const role of Object.values(ServiceRole)) words.set(role, 'service role');
  for (const code of Object.values(ServiceCode)) words.set(code, 'service code');
  for (const code of Object.values(DirectionCode)) words.set(code, 'direction');
  return words;
}

/** Product subgraphs: the npm workspaces under subgraphs/ (not a folder a test is scaffolding meanwhile). */
function subgraphFolders(): string[] {
  const workspaces = (JSON.parse(readFileSync(path.join(REPOSITORY, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  return workspaces.filter((workspace) => workspace.startsWith('subgraphs/'));
}

/** The codes and directions a subgraph's own catalog.json declares, which only its vocabulary module spells out. */
function ownWords(): Map<string, { word: string; owner: string }> {
  const words = new Map<string, { word: string; owner: string }>();
  for (const folder of subgraphFolders()) {
    if (!existsSync(path.join(REPOSITORY, folder, 'catalog.json'))) continue;
    const declaration = loadCatalogDeclaration(path.join(REPOSITORY, folder, 'src'));
    for (const service of declaration.services) words.set(service.code, { word: 'service code', owner: folder });
    for (const direction of Object.keys(declaration.directions)) words.set(direction, { word: 'direction', owner: folder });
  }
  return words;
}

const isProductSource = (file: string): boolean =>
  file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.endsWith('.d.ts') && !/\/(migrations|__generated__|generated)\//.test(file);

/** The product's TypeScript: every subgraph's src/ and the gateway's, without tests, migrations or generated code. */
function productSources(): SourceFile[] {
  const roots = [...subgraphFolders().map((folder) => `${folder}/src`), 'gateway/src'];
  return roots.flatMap((root) =>
    readdirSync(path.join(REPOSITORY, root), { recursive: true, encoding: 'utf8' })
      .map((entry) => `${root}/${entry.split(path.sep).join('/')}`)
      .filter(isProductSource)
      .map((file) => ({ file, text: readFileSync(path.join(REPOSITORY, file), 'utf8') })),
  );
}

/**
 * The string literals of a source (and the plain names of object literal properties, `{ DGI: … }`),
 * with their line, as the TypeScript compiler parses them: comments and longer strings that only
 * contain a word (`'SHE-RECIM-2024'`, an SQL text) are not literals of it.
 */
function stringLiterals(file: string, text: string): Array<{ line: number; literal: string }> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: Array<{ line: number; literal: string }> = [];
  const record = (node: ts.Node, literal: string) =>
    found.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, literal });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) record(node, node.text);
    else if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isIdentifier(node.name)) record(node.name, node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The vocabulary's words spelled out in product code outside the modules that own them. */
function vocabularyViolations(files: readonly SourceFile[]): Violation[] {
  const portal = portalWords();
  const own = ownWords();
  const allowed = new Set(ALLOWED.map((entry) => `${entry.file}\0${entry.literal}`));
  return files.flatMap(({ file, text }) =>
    stringLiterals(file, text).flatMap(({ line, literal }): Violation[] => {
      if (allowed.has(`${file}\0${literal}`)) return [];
      const ownWord = own.get(literal);
      if (ownWord) return file === `${ownWord.owner}/${OWN_VOCABULARY}` ? [] : [{ file, line, literal, word: `${ownWord.word} of ${ownWord.owner}` }];
      const word = portal.get(literal) ?? (isRegionalDirection(literal) ? 'direction' : undefined);
      return word && file !== KIT_VOCABULARY ? [{ file, line, literal, word }] : [];
    }),
  );
}

const describeViolation = ({ file, line, literal, word }: Violation) => `${file}:${line}: '${literal}' (${word})`;

describe('issue 15: roles and service codes are named through the vocabulary, never retyped', () => {
  const sources = productSources();

  it('reads the product sources it guards, not their tests', () => {
    const files = sources.map((source) => source.file);
    expect(files).toEqual(expect.arrayContaining([KIT_VOCABULARY, 'subgraphs/services/src/resolvers/Query.ts', 'subgraphs/road-aid/src/access.ts', 'gateway/src/authorization/requirements.ts']));
    expect(files).not.toContain('subgraphs/services/src/vocabulary.test.ts');
  });

  it('no product code spells out a role, a service code or a direction outside the vocabulary modules', () => {
    expect(vocabularyViolations(sources).map(describeViolation)).toEqual([]);
  });

  it('every allowed literal is still there and still a word of the vocabulary: the list never goes stale', () => {
    const portal = portalWords();
    for (const entry of ALLOWED) {
      expect(portal.has(entry.literal)).toBe(true);
      const source = sources.find((candidate) => candidate.file === entry.file);
      expect(stringLiterals(entry.file, source?.text ?? '').some(({ literal }) => literal === entry.literal)).toBe(true);
    }
  });

  it('fails when a role literal is added to a resolver', () => {
    const resolver: SourceFile = {
      file: 'subgraphs/services/src/resolvers/Example.ts',
      text: [
        "import type { AccessRight } from '../access/access.entity';",
        '// A comment may say LOCAL_MANAGER, and a longer string may contain it: neither is the literal.',
        "const note = 'not a LOCAL_MANAGER';",
        "export const isManager = (right: AccessRight) => right.role === 'LOCAL_MANAGER';",
      ].join('\n'),
    };
    expect(vocabularyViolations([...sources, resolver]).map(describeViolation)).toEqual([
      "subgraphs/services/src/resolvers/Example.ts:4: 'LOCAL_MANAGER' (service role)",
    ]);
  });

  it('fails on a service code, a direction or a regional direction, and on a ministry code outside its own subgraph', () => {
    const text = [
      "export const PERFORM_ID = stableId('online-service', 'PERFORM');",
      "export const owners = { DGI: 'Direction générale des infrastructures' };",
      "export const estrie = 'DR-05';",
      "export const roadAid = stableId('online-service', 'PAVL');",
    ].join('\n');
    expect(vocabularyViolations([{ file: 'subgraphs/mandates/src/resolvers/Example.ts', text }]).map(describeViolation)).toEqual([
      "subgraphs/mandates/src/resolvers/Example.ts:1: 'PERFORM' (service code)",
      "subgraphs/mandates/src/resolvers/Example.ts:2: 'DGI' (direction)",
      "subgraphs/mandates/src/resolvers/Example.ts:3: 'DR-05' (direction)",
      "subgraphs/mandates/src/resolvers/Example.ts:4: 'PAVL' (service code of subgraphs/road-aid)",
    ]);
    // The ministry's own vocabulary module is where its code is spelled out.
    expect(vocabularyViolations([{ file: `subgraphs/road-aid/${OWN_VOCABULARY}`, text: "export const code = 'PAVL';" }])).toEqual([]);
  });
});
