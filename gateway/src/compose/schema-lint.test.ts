import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GRAPHQL_ESLINT_RULES, lintApiSchema, type PlainListEntry } from './schema-lint';
import { isDateName, isMoneyName, looksEnglish, PROJECT_RULES } from './schema-rules';

/** A small API schema that follows every rule, given the plain list below. */
const CLEAN = `
"Racine des lectures."
type Query {
  "Les dossiers que l'utilisateur peut voir, du plus récent au plus ancien ; 20 par page par défaut, au plus 100."
  dossiers(
    "Nombre de dossiers de la page (20 par défaut, au plus 100)."
    first: Int
    "Curseur après lequel la page commence."
    after: String
  ): DossierConnection!
  "Les secteurs du catalogue, tous à la fois."
  sectors: [Sector!]!
}

"Racine des changements."
type Mutation {
  "Crée un dossier."
  createDossier("Le dossier à créer." input: CreateDossierInput!): CreateDossierPayload!
  "Termine la session en cours."
  signOut: SignOutPayload!
}

"Un secteur du catalogue."
type Sector {
  "Identifiant du secteur."
  id: ID!
  "Nom du secteur."
  name: String!
}

"Une page de dossiers."
type DossierConnection {
  "Les dossiers de la page."
  nodes: [Dossier!]!
  "Les dossiers de la page, chacun avec son curseur."
  edges: [DossierEdge!]!
  "Où en est la pagination."
  pageInfo: PageInfo!
  "Nombre total de dossiers, calculé seulement quand il est demandé."
  totalCount: Int!
}

"Un dossier et son curseur."
type DossierEdge {
  "Curseur du dossier."
  cursor: String!
  "Le dossier."
  node: Dossier!
}

"État de la pagination."
type PageInfo {
  "Vrai s'il y a une page après celle-ci."
  hasNextPage: Boolean!
  "Vrai s'il y a une page avant celle-ci."
  hasPreviousPage: Boolean!
  "Curseur du premier élément de la page."
  startCursor: String
  "Curseur du dernier élément de la page."
  endCursor: String
}

"Une demande d'aide financière."
type Dossier {
  "Identifiant du dossier."
  id: ID!
  "Titre du dossier."
  title: String!
  "Montant demandé."
  requestedAmount: Money!
  "Moment de la dernière modification."
  updatedAt: DateTime!
  "Jour du dépôt, au Québec."
  submittedOn: Date
  "État du dossier."
  status: DossierStatus!
}

"État d'un dossier."
enum DossierStatus {
  "En préparation."
  DRAFT
  "Déposé au ministère."
  SUBMITTED
}

"Un montant exact en dollars, en chaîne décimale (« 1234.50 »)."
scalar Money

"Un moment, en ISO 8601 avec son décalage."
scalar DateTime

"Un jour du calendrier, au Québec (AAAA-MM-JJ)."
scalar Date

"Le dossier à créer."
input CreateDossierInput {
  "Titre du dossier, au plus 300 caractères."
  title: String!
  "Montant demandé, en dollars et cents."
  requestedAmount: Money!
}

"Le résultat de la création d'un dossier."
type CreateDossierPayload {
  "Le dossier créé."
  dossier: Dossier!
}

"Le résultat de la fin de session."
type SignOutPayload {
  "Vrai quand la session est terminée."
  signedOut: Boolean!
}
`;

const PLAIN_LISTS: PlainListEntry[] = [{ field: 'Query.sectors', reason: 'Une dizaine de secteurs, affichés tous à la fois.' }];

/** The clean schema with one edit, which must be found exactly once. */
function edited(find: string, replace: string): string {
  const at = CLEAN.indexOf(find);
  if (at < 0 || CLEAN.indexOf(find, at + 1) >= 0) throw new Error(`not exactly once in the clean schema: ${find}`);
  return CLEAN.replace(find, replace);
}

const lint = (sdl: string, plainLists = PLAIN_LISTS) => lintApiSchema(sdl, { plainLists }).map((violation) => [violation.rule, violation.coordinate]);

/** One schema per rule, each with exactly one violation of that rule, at that coordinate. */
const ONE_VIOLATION_EACH: Array<[rule: string, coordinate: string, sdl: string]> = [
  ['@graphql-eslint/naming-convention', 'Dossier.Title', edited('"Titre du dossier."\n  title: String!', '"Titre du dossier."\n  Title: String!')],
  ['@graphql-eslint/require-description', 'Dossier.title', edited('"Titre du dossier."\n  title: String!', 'title: String!')],
  ['@graphql-eslint/no-typename-prefix', 'Dossier.dossierNumber', edited('  "Titre du dossier."\n', '  "Numéro du dossier."\n  dossierNumber: String!\n  "Titre du dossier."\n')],
  ['@graphql-eslint/no-unreachable-types', 'Orphan', `${CLEAN}\n"Un type que rien n'atteint."\ntype Orphan {\n  "Identifiant."\n  id: ID!\n}\n`],
  ['@graphql-eslint/require-deprecation-reason', 'Dossier.title', edited('"Titre du dossier."\n  title: String!', '"Titre du dossier."\n  title: String! @deprecated')],
  ['@graphql-eslint/relay-connection-types', 'DossierConnection.pageInfo', edited('pageInfo: PageInfo!', 'pageInfo: PageInfo')],
  [
    '@graphql-eslint/relay-edge-types',
    'DossierItem',
    edited('edges: [DossierEdge!]!', 'edges: [DossierItem!]!').replace('type DossierEdge {', 'type DossierItem {'),
  ],
  ['@graphql-eslint/relay-page-info', 'PageInfo', edited('"Vrai s\'il y a une page avant celle-ci."\n  hasPreviousPage: Boolean!\n', '')],
  ['@graphql-eslint/relay-arguments', 'Query.dossiers', edited('    "Curseur après lequel la page commence."\n    after: String\n', '')],
  ['@graphql-eslint/input-name', 'Mutation.createDossier(dossier:)', edited('input: CreateDossierInput!', 'dossier: CreateDossierInput!')],
  ['pgamr/no-float-money', 'Dossier.requestedAmount', edited('"Montant demandé."\n  requestedAmount: Money!', '"Montant demandé."\n  requestedAmount: Float!')],
  ['pgamr/no-string-date', 'Dossier.decidedOn', edited('  "État du dossier."\n', '  "Jour de la décision."\n  decidedOn: String\n  "État du dossier."\n')],
  ['pgamr/list-is-connection', 'Sector.dossiers', edited('"Nom du secteur."\n', '"Les dossiers du secteur."\n  dossiers: [Dossier!]!\n  "Nom du secteur."\n')],
  ['pgamr/connection-fields', 'DossierConnection', edited('  "Nombre total de dossiers, calculé seulement quand il est demandé."\n  totalCount: Int!\n', '')],
  ['pgamr/mutation-input-payload', 'Mutation.signOut', edited('signOut: SignOutPayload!', 'signOut: SignOutResult!').replace('type SignOutPayload {', 'type SignOutResult {')],
  ['pgamr/french-description', 'Dossier.title', edited('"Titre du dossier."\n  title: String!', '"The title of the dossier."\n  title: String!')],
];

describe('npm run lint:schema: the lint of the composed API schema', () => {
  it('passes a schema that follows every rule', () => {
    expect(lint(CLEAN)).toEqual([]);
  });

  it('has one test schema per rule it runs', () => {
    expect(ONE_VIOLATION_EACH.map(([rule]) => rule).sort()).toEqual([...Object.keys(GRAPHQL_ESLINT_RULES), ...Object.keys(PROJECT_RULES)].sort());
  });

  it.each(ONE_VIOLATION_EACH)('%s: fails on its one violation, at %s', (rule, coordinate, sdl) => {
    expect(lint(sdl)).toEqual([[rule, coordinate]]);
  });

  it('reports a plain list of records only when the allowed lists leave it out, and an allowed list that is gone', () => {
    expect(lint(CLEAN, [])).toEqual([['pgamr/list-is-connection', 'Query.sectors']]);
    expect(lint(CLEAN, [...PLAIN_LISTS, { field: 'Query.nothing', reason: 'Disparu.' }])).toEqual([['pgamr/list-is-connection', 'Query.nothing']]);
  });

  it('reports each problem of a mutation: two arguments, a nullable input, a result that is not a payload', () => {
    const twoArguments = edited('createDossier("Le dossier à créer." input: CreateDossierInput!)', 'createDossier("Le dossier à créer." input: CreateDossierInput!, "Brouillon ?" draft: Boolean)');
    expect(lint(twoArguments)).toEqual([
      ['pgamr/mutation-input-payload', 'Mutation.createDossier'],
      // Named `draft` rather than `input`, of a type other than CreateDossierInput.
      ['@graphql-eslint/input-name', 'Mutation.createDossier(draft:)'],
      ['@graphql-eslint/input-name', 'Mutation.createDossier(draft:)'],
    ]);
    expect(lint(edited('input: CreateDossierInput!', 'input: CreateDossierInput'))).toEqual([['pgamr/mutation-input-payload', 'Mutation.createDossier(input:)']]);
  });
});

describe('the heuristics of the project rules', () => {
  it.each(['amount', 'montant', 'requestedAmount', 'totalRevenue', 'price', 'grantTotal', 'fees'])('%s is an amount', (name) => {
    expect(isMoneyName(name)).toBe(true);
  });
  it.each(['totalCount', 'count', 'ratio', 'latitude', 'mount'])('%s is not an amount', (name) => {
    expect(isMoneyName(name)).toBe(false);
  });
  it.each(['createdAt', 'signedOn', 'dueDate', 'validUntil', 'validFrom', 'date', 'dateDebut', 'fiscalYearEndDate'])('%s is a date', (name) => {
    expect(isDateName(name)).toBe(true);
  });
  it.each(['status', 'dateless', 'name', 'format', 'kind'])('%s is not a date', (name) => {
    expect(isDateName(name)).toBe(false);
  });
  it.each(['The date of the request.', 'Returns the list of users who may sign.', 'Whether it is open'])('reads « %s » as English', (text) => {
    expect(looksEnglish(text)).toBe(true);
  });
  it.each(['Identifiant.', 'Date de la demande (ISO 8601).', 'Accorder.', "Nom de l'organisation", 'Liste des utilisateurs', '`first` : 20 par défaut'])(
    'reads « %s » as French, or cannot tell',
    (text) => {
      expect(looksEnglish(text)).toBe(false);
    },
  );
});

describe('the command', () => {
  const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
  const CLI = path.join(REPOSITORY, 'gateway', 'src', 'compose', 'lint-cli.ts');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pgamr-schema-lint-'));
    writeFileSync(path.join(dir, 'plain-lists.json'), JSON.stringify(PLAIN_LISTS));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (sdl: string) => {
    writeFileSync(path.join(dir, 'schema.graphql'), sdl);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI, '--schema', path.join(dir, 'schema.graphql'), '--plain-lists', path.join(dir, 'plain-lists.json')],
      { cwd: REPOSITORY, encoding: 'utf8' },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };

  it('prints rule, coordinate and message of each violation, and exits 1', () => {
    const { status, output } = run(edited('"Titre du dossier."\n  title: String!', '"Titre du dossier."\n  title: String!\n  "Jour de la décision."\n  decidedOn: String'));
    expect(output).toMatch(/✗ pgamr\/no-string-date\s+Dossier\.decidedOn\s+« decidedOn » est une date dans un String/);
    expect(output).toContain('1 violation(s)');
    expect(status).toBe(1);
  });

  it('exits 0 on a schema that follows every rule', () => {
    const { status, output } = run(CLEAN);
    expect(output).toContain('follows every rule');
    expect(status).toBe(0);
  });
});
