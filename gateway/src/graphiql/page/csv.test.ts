import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'graphql';
import { apiSchemaOf } from '../../compose/api-schema';
import { BOM, csvField, flattenResult, headerFromDescription, NothingToExportError, responseToCsv, toCsv } from './csv';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..', '..');
const schema = apiSchemaOf(readFileSync(path.join(REPOSITORY, 'supergraph.graphql'), 'utf8'));

/** The CSV's records, BOM and final CRLF off, split naively (these tests' values hold no line break). */
const records = (csv: string) => csv.slice(BOM.length).replace(/\r\n$/, '').split('\r\n');

describe('CSV export of GraphiQL results', () => {
  it('a header is the first clause of the field’s description', () => {
    expect(headerFromDescription("Montant de l'aide financière demandée, en dollars canadiens, au cent près.")).toBe(
      "Montant de l'aide financière demandée",
    );
    expect(headerFromDescription('Étape où en est le dossier ; son cheminement est dans history.')).toBe('Étape où en est le dossier');
    expect(headerFromDescription('Région administrative du Québec (numéro et nom), pour les organismes municipaux.')).toBe(
      'Région administrative du Québec',
    );
    expect(headerFromDescription('Nombre de dossiers de la liste,\n  toutes pages confondues')).toBe('Nombre de dossiers de la liste');
    expect(headerFromDescription('Prénom.')).toBe('Prénom');
    expect(headerFromDescription('Version 2.1 du formulaire.')).toBe('Version 2.1 du formulaire');
    expect(headerFromDescription('')).toBeUndefined();
    expect(headerFromDescription('.')).toBeUndefined();
    expect(headerFromDescription(undefined)).toBeUndefined();
  });

  it('RFC 4180: commas, quotes and line breaks are quoted, quotes doubled; null is empty', () => {
    expect(csvField('Ville de Magog')).toBe('Ville de Magog');
    expect(csvField('Lévis, secteur Desjardins')).toBe('"Lévis, secteur Desjardins"');
    expect(csvField('Le « pont » "Dufferin"')).toBe('"Le « pont » ""Dufferin"""');
    expect(csvField('ligne 1\nligne 2')).toBe('"ligne 1\nligne 2"');
    expect(csvField('fin\r')).toBe('"fin\r"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(1250000.5)).toBe('1250000.5');
    expect(csvField(0)).toBe('0');
    expect(csvField(false)).toBe('false');
  });

  it('a text a spreadsheet would run as a formula is written after an apostrophe; numbers and negative amounts stay numbers', () => {
    expect(['=HYPERLINK("x")', '+1', '-cmd', '@SUM(A1)', '\tx', '-125.50', '125000.00', 'Aqueduc'].map((cell) => csvField(cell))).toEqual([
      '"\'=HYPERLINK(""x"")"',
      "'+1",
      "'-cmd",
      "'@SUM(A1)",
      "'\tx",
      '-125.50',
      '125000.00',
      'Aqueduc',
    ]);
    expect(csvField(-3)).toBe('-3');
  });

  it('a connection gives one row per node, the parent’s scalars repeated, headers in French from the schema', () => {
    const query = '{ dossiers(first: 2) { totalCount nodes { title requestedAmount isClosed organization { name administrativeRegion } } } }';
    const data = {
      dossiers: {
        totalCount: 7,
        nodes: [
          { title: 'Réfection, rue Principale', requestedAmount: '125000.00', isClosed: false, organization: { name: 'Ville de Magog', administrativeRegion: '05 Estrie' } },
          { title: 'Aqueduc "nord"', requestedAmount: '80000.50', isClosed: true, organization: { name: 'Ville de Sherbrooke', administrativeRegion: null } },
        ],
      },
    };
    const csv = responseToCsv(JSON.stringify({ data }), { schema, document: parse(query) });
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(records(csv)).toEqual([
      [
        'Nombre de dossiers de la liste',
        'Titre du projet visé par la demande',
        "Montant de l'aide financière demandée",
        'Vrai quand le dossier est fermé',
        "Nom officiel de l'organisation",
        'Région administrative du Québec',
      ].join(','),
      '7,"Réfection, rue Principale",125000.00,false,Ville de Magog,05 Estrie',
      '7,"Aqueduc ""nord""",80000.50,true,Ville de Sherbrooke,',
    ]);
  });

  it('edges { node } flatten like nodes, and an edge’s cursor is a column of the node’s row', () => {
    const query = '{ municipalBodies { edges { cursor node { name } } } }';
    const data = { municipalBodies: { edges: [{ cursor: 'a', node: { name: 'Magog' } }, { cursor: 'b', node: { name: 'Lévis' } }] } };
    const table = flattenResult(data, { schema, document: parse(query) });
    expect(table.columns.map((column) => column.key)).toEqual(['municipalBodies.cursor', 'municipalBodies.name']);
    expect(table.rows.map((row) => [...row.values()])).toEqual([
      ['a', 'Magog'],
      ['b', 'Lévis'],
    ]);
  });

  it('one row per element of the deepest list: nested lists repeat every ancestor’s scalars', () => {
    const query = '{ me { givenName organization { name dossiers { nodes { title history { toStatus changedAt } } } } } }';
    const data = {
      me: {
        givenName: 'Isabelle',
        organization: {
          name: 'Ville de Magog',
          dossiers: {
            nodes: [
              { title: 'A', history: [{ toStatus: 'DRAFT', changedAt: '2026-01-01T00:00:00-05:00' }, { toStatus: 'SUBMITTED', changedAt: '2026-02-01T00:00:00-05:00' }] },
              { title: 'B', history: [{ toStatus: 'DRAFT', changedAt: '2026-03-01T00:00:00-05:00' }] },
              { title: 'C', history: [] },
            ],
          },
        },
      },
    };
    const table = flattenResult(data, { schema, document: parse(query) });
    expect(table.columns.map((column) => column.key)).toEqual([
      'me.givenName',
      'me.organization.name',
      'me.organization.dossiers.title',
      'me.organization.dossiers.history.toStatus',
      'me.organization.dossiers.history.changedAt',
    ]);
    expect(table.rows.map((row) => table.columns.map((column) => row.get(column.key) ?? null))).toEqual([
      ['Isabelle', 'Ville de Magog', 'A', 'DRAFT', '2026-01-01T00:00:00-05:00'],
      ['Isabelle', 'Ville de Magog', 'A', 'SUBMITTED', '2026-02-01T00:00:00-05:00'],
      ['Isabelle', 'Ville de Magog', 'B', 'DRAFT', '2026-03-01T00:00:00-05:00'],
      // A record whose list is empty keeps its row.
      ['Isabelle', 'Ville de Magog', 'C', null, null],
    ]);
  });

  it('a list of one record is stacked like a longer one, never spread over its sibling’s rows', () => {
    const data = { a: { nodes: [{ title: 'X' }] }, b: { nodes: [{ title: 'Y' }, { title: 'Z' }] } };
    const table = flattenResult(data);
    expect(table.rows.map((row) => [row.get('a.title'), row.get('b.title')])).toEqual([
      ['X', undefined],
      [undefined, 'Y'],
      [undefined, 'Z'],
    ]);
  });

  it('two lists side by side are stacked, not multiplied; an empty list leaves its parent’s row', () => {
    const data = {
      enAnalyse: { totalCount: 2, nodes: [{ title: 'A' }, { title: 'B' }] },
      acceptes: { totalCount: 3, nodes: [{ title: 'C' }, { title: 'D' }, { title: 'E' }] },
      refuses: { totalCount: 0, nodes: [] },
    };
    const query = `{
      enAnalyse: dossiers(filter: { status: IN_REVIEW }) { totalCount nodes { title } }
      acceptes: dossiers(filter: { status: ACCEPTED }) { totalCount nodes { title } }
      refuses: dossiers(filter: { status: REFUSED }) { totalCount nodes { title } }
    }`;
    const table = flattenResult(data, { schema, document: parse(query) });
    expect(table.rows.map((row) => [row.get('enAnalyse.title'), row.get('acceptes.title'), row.get('refuses.totalCount')])).toEqual([
      ['A', undefined, undefined],
      ['B', undefined, undefined],
      [undefined, 'C', undefined],
      [undefined, 'D', undefined],
      [undefined, 'E', undefined],
      // The empty connection keeps the row of its count.
      [undefined, undefined, 0],
    ]);
    // Aliases of one field share its description: each header then says its path.
    expect(table.columns.map((column) => column.header)).toEqual([
      'Nombre de dossiers de la liste (enAnalyse.totalCount)',
      'Titre du projet visé par la demande (enAnalyse.title)',
      'Nombre de dossiers de la liste (acceptes.totalCount)',
      'Titre du projet visé par la demande (acceptes.title)',
      'Nombre de dossiers de la liste (refuses.totalCount)',
    ]);
  });

  it('a list of scalars stays in its record’s row; a null object is dropped when its fields are columns', () => {
    const query = '{ dossiers { nodes { title missingFormFields service { code } } } }';
    const data = {
      dossiers: {
        nodes: [
          { title: 'A', missingFormFields: ['budget', 'echeancier'], service: { code: 'TECQ' } },
          { title: 'B', missingFormFields: [], service: null },
        ],
      },
    };
    const csv = responseToCsv(JSON.stringify({ data }), { schema, document: parse(query) });
    expect(records(csv)).toEqual([
      'Titre du projet visé par la demande,Champs du formulaire qui doivent encore être remplis avant la transmission,Sigle du service',
      'A,budget; echeancier,TECQ',
      'B,,',
    ]);
  });

  it('fragments and __typename are followed; without a schema the headers are the paths (`__typename` is « Type »)', () => {
    const query = 'query Q { me { ...Moi } } fragment Moi on User { __typename prenom: givenName }';
    const data = { me: { __typename: 'User', prenom: 'Patrick' } };
    expect(flattenResult(data, { schema, document: parse(query), operationName: 'Q' }).columns).toEqual([
      { key: 'me.__typename', header: 'Type' },
      { key: 'me.prenom', header: 'Prénom' },
    ]);
    expect(records(responseToCsv(JSON.stringify({ data })))).toEqual(['Type,me.prenom', 'User,Patrick']);
  });

  it('a result without data is refused with a French message', () => {
    expect(() => responseToCsv('')).toThrow(NothingToExportError);
    expect(() => responseToCsv(JSON.stringify({ errors: [{ message: 'Refusé' }] }))).toThrow('Le résultat ne contient aucune donnée à exporter.');
    expect(toCsv({ columns: [], rows: [] })).toBe(`${BOM}\r\n`);
  });
});
