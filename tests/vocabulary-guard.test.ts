import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { DirectionCode, IdentityRole, isRegionalDirection, loadCatalogDeclaration, ServiceCode, ServiceRole } from '@pgamr/kit';

// Issue 15, style §8: a role or a service code is written once, in the kit's vocabulary (or, for
// a ministry's own codes, in its subgraph's vocabulary module), and product code names the
// constant. A string retyped elsewhere is what silently denies everything after a rename.
// And a subgraph refuses in one place, its src/policy.ts: a resolver or a service that decides
// access itself is what makes a rule mean different things in different places.

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

/** Each subgraph's policy module: the one place it refuses. */
const POLICY_MODULE = 'src/policy.ts';
const KIT = 'subgraphs/kit';

/**
 * Kit files that may name a refusal, each with its reason: the kit defines the refusal and
 * relays another subgraph's, it decides none.
 */
const KIT_REFUSALS: ReadonlyArray<{ file: string; reason: string }> = [
  { file: `${KIT}/src/errors.ts`, reason: 'defines forbidden() and ErrorCode.Forbidden' },
  { file: `${KIT}/src/error-catalog.ts`, reason: "the catalog's entry for FORBIDDEN: meaning, HTTP status" },
  { file: `${KIT}/src/auth/directory-client.ts`, reason: "relays identity's own refusal (HTTP 403) of a directory question as it is" },
  { file: `${KIT}/src/auth/rights-client.ts`, reason: 'says why an outage is never answered FORBIDDEN' },
];

/** A refusal spelled out: a call of forbidden(), the FORBIDDEN code, or its ErrorCode name. */
const REFUSAL = /\bforbidden\s*\(|\bFORBIDDEN\b|\bErrorCode\.Forbidden\b/g;

/** Refusals outside the policy modules (and the kit files listed above), by line. */
function refusalViolations(files: readonly SourceFile[]): Array<{ file: string; line: number; text: string }> {
  const policies = new Set(subgraphFolders().map((folder) => `${folder}/${POLICY_MODULE}`));
  const allowed = new Set(KIT_REFUSALS.map((entry) => entry.file));
  return files
    .filter(({ file }) => file.startsWith('subgraphs/') && !policies.has(file) && !allowed.has(file))
    .flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, index) => [...line.matchAll(REFUSAL)].map((match) => ({ file, line: index + 1, text: match[0] }))),
    );
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
    expect(files).toEqual(expect.arrayContaining([KIT_VOCABULARY, 'subgraphs/services/src/resolvers/Query.ts', 'subgraphs/road-aid/src/policy.ts', 'gateway/src/authorization/requirements.ts']));
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

describe('issue 15: a subgraph refuses only in its src/policy.ts', () => {
  const sources = productSources();

  it('every product subgraph but the kit has a policy module', () => {
    const files = new Set(sources.map((source) => source.file));
    const missing = subgraphFolders().filter((folder) => folder !== KIT && !files.has(`${folder}/${POLICY_MODULE}`));
    expect(missing).toEqual([]);
  });

  it('no resolver, service or module other than the policy calls forbidden() or names FORBIDDEN', () => {
    expect(refusalViolations(sources).map(({ file, line, text }) => `${file}:${line}: ${text}`)).toEqual([]);
  });

  it('every kit exception still names a refusal: the list never goes stale', () => {
    for (const entry of KIT_REFUSALS) {
      const source = sources.find((candidate) => candidate.file === entry.file);
      expect([entry.file, REFUSAL.test(source?.text ?? '')]).toEqual([entry.file, true]);
      REFUSAL.lastIndex = 0;
    }
  });

  it('fails when a resolver refuses by itself, in code or in its comments', () => {
    const resolver: SourceFile = {
      file: 'subgraphs/services/src/resolvers/Example.ts',
      text: [
        "import { ErrorCode, forbidden } from '@pgamr/kit';",
        '/** Refused (FORBIDDEN) to anyone but the owner. */',
        "export const check = (mine: boolean) => { if (!mine) throw forbidden('Non.'); };",
        'export const code = ErrorCode.Forbidden;',
      ].join('\n'),
    };
    expect(refusalViolations([resolver]).map(({ file, line, text }) => `${file}:${line}: ${text}`)).toEqual([
      'subgraphs/services/src/resolvers/Example.ts:2: FORBIDDEN',
      'subgraphs/services/src/resolvers/Example.ts:3: forbidden(',
      'subgraphs/services/src/resolvers/Example.ts:4: ErrorCode.Forbidden',
    ]);
    // The same lines in the subgraph's policy module are where refusals belong.
    expect(refusalViolations([{ ...resolver, file: `subgraphs/services/${POLICY_MODULE}` }])).toEqual([]);
  });
});
