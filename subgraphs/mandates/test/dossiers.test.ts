import { AuditEvent, IdentityRole, stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { Dossier, DossierStatusChange } from '../src/dossier/dossier.entity';
import { seedMandatesDemoData } from '../src/seed/demo-data';
import { mandatesSubgraph } from '../src/server';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
type Headers = Record<string, string>;
let dgi: Headers;
let dniff: Headers;
let magogUser: Headers;
let sherbrookeUser: Headers;

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const QUEBEC = stableId('organization', 'MUN-23027');
const TECQ = stableId('online-service', 'TECQ');
const PRIMEAU = stableId('online-service', 'PRIMEAU');
const PERFORM = stableId('online-service', 'PERFORM');
const MARC = stableId('user', 'MAG0000002');
const DGI_PROGRAMS = ['TECQ', 'PRIMEAU', 'FIMEAU', 'PRACIM', 'RÉCIM', 'PRABAM'].map((code) => stableId('online-service', code));

const bearer = async (claims: Parameters<TestTokenIssuer['mint']>[0]) => ({ authorization: `Bearer ${await issuer.mint(claims)}` });
const run = <T = any>(query: string, variables: Record<string, unknown>, headers: Headers) => execute<T>(subgraph.url, query, variables, headers);
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const ORG_DOSSIERS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers(first: 50) { nodes { title } totalCount } } } }';

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl });
  issuer.grant(MARC, { serviceId: TECQ, organizationId: MAGOG, role: 'USER' });
  const dgiAgent = stableId('user', 'MAM0000002');
  for (const program of DGI_PROGRAMS) issuer.administer(dgiAgent, program);
  issuer.administer(stableId('user', 'MAM0000003'), PERFORM);
  dgi = await bearer({ userId: dgiAgent, organizationId: stableId('organization', 'MIN-MAMH'), roles: [IdentityRole.MinistryStaff], direction: 'DGI' });
  dniff = await bearer({ userId: stableId('user', 'MAM0000003'), organizationId: stableId('organization', 'MIN-MAMH'), roles: [IdentityRole.MinistryStaff], direction: 'DNIFF' });
  magogUser = await bearer({ userId: MARC, organizationId: MAGOG });
  sherbrookeUser = await bearer({ userId: stableId('user', 'SHE0000001'), organizationId: SHERBROOKE });
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

async function countRows() {
  const em = subgraph.database.orm.em.fork();
  return { dossiers: await em.count(Dossier), changes: await em.count(DossierStatusChange), audit: await em.count(AuditEvent) };
}

describe('mandates subgraph: dossiers (R17)', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it("R7, R17: the owner's staff list each organization's dossiers of their programs, newest first; other directions none", async () => {
    const { data } = await run(ORG_DOSSIERS, { r: [MAGOG, QUEBEC, SHERBROOKE].map((id) => ({ __typename: 'Organization', id })) }, dgi);
    const [magog, quebec, sherbrooke] = data._entities;
    expect(magog.dossiers.nodes.map((d: { title: string }) => d.title)).toEqual([
      'Réfection de la rue Principale Ouest',
      "Remplacement de l'aqueduc de la rue des Pins",
      "Mise aux normes de l'usine de production d'eau potable",
      "Rénovation de l'hôtel de ville",
    ]);
    expect(quebec.dossiers).toEqual({ nodes: [], totalCount: 0 });
    expect(sherbrooke.dossiers.totalCount).toBe(2);
    // DNIFF owns PERFORM, not the DGI programs: it reads none of their dossiers.
    const dniffView = await run(ORG_DOSSIERS, { r: [{ __typename: 'Organization', id: MAGOG }] }, dniff);
    expect(dniffView.data._entities[0].dossiers.totalCount).toBe(0);
  });

  it('points a dossier at its organization and service as references resolved elsewhere, with its typed form', async () => {
    const id = stableId('dossier', 'MAG-TECQ-2024');
    const { data } = await run(`{ dossier(id: "${id}") {
      title status requestedAmount organization { __typename id } service { __typename id }
      form { __typename ... on TecqForm { population priority } } missingFormFields
      viewerPermissions { canEdit canSubmit canReview } } }`, {}, magogUser);
    expect(data).toEqual({
      dossier: {
        title: 'Réfection de la rue Principale Ouest',
        status: 'DRAFT',
        requestedAmount: '1250000.00',
        organization: { __typename: 'Organization', id: MAGOG },
        service: { __typename: 'OnlineService', id: TECQ },
        form: { __typename: 'TecqForm', population: 28_500, priority: 'LOCAL_ROADS' },
        missingFormFields: ['plannedWorkStartsOn'],
        viewerPermissions: { canEdit: true, canSubmit: true, canReview: false },
      },
    });
  });

  it('keeps amounts exact to the cent, from the numeric column to the JSON (Money, a decimal string)', async () => {
    const em = subgraph.database.orm.em.fork();
    // 999,999,999,999.99 is 10^14 - 1 cents: a float of dollars would print it rounded.
    const dossier = em.create(Dossier, { organizationId: QUEBEC, serviceId: TECQ, title: 'Essai de précision', requestedAmount: '999999999999.99', createdBy: MARC });
    await em.flush();
    const { data } = await run(`{ dossier(id: "${dossier.id}") { requestedAmount createdAt } }`, {}, dgi);
    expect(data.dossier).toEqual({ requestedAmount: '999999999999.99', createdAt: dossier.createdAt.toISOString() });
  });

  it("R20: a user of another organization sees neither the dossier nor the organization's list", async () => {
    const id = stableId('dossier', 'MAG-TECQ-2024');
    expect(await run(`{ dossier(id: "${id}") { title } }`, {}, sherbrookeUser)).toEqual({ data: { dossier: null }, errors: undefined });
    const list = await run(ORG_DOSSIERS, { r: [{ __typename: 'Organization', id: MAGOG }] }, sherbrookeUser);
    expect(codeOf(list)).toBe('FORBIDDEN');
    expect(JSON.stringify(list.data)).not.toContain('Principale');
    expect(codeOf(await execute(subgraph.url, `{ dossier(id: "${id}") { title } }`))).toBe('UNAUTHENTICATED');
  });

  it('R14: a user of the organization sees only the dossiers of services they hold a right on, until it is revoked', async () => {
    const list = async () =>
      (await run<{ _entities: Array<{ dossiers: { nodes: Array<{ title: string }> } }> }>(ORG_DOSSIERS, { r: [{ __typename: 'Organization', id: MAGOG }] }, magogUser)).data!
        ._entities[0]!.dossiers;
    expect((await list()).nodes.map((d) => d.title)).toEqual([
      'Réfection de la rue Principale Ouest',
      "Remplacement de l'aqueduc de la rue des Pins",
    ]);
    issuer.revokeAll(MARC);
    // The very next request: no right, no list, no dossier.
    expect(codeOf(await run(ORG_DOSSIERS, { r: [{ __typename: 'Organization', id: MAGOG }] }, magogUser))).toBe('FORBIDDEN');
    expect((await run(`{ dossier(id: "${stableId('dossier', 'MAG-TECQ-2024')}") { title } }`, {}, magogUser)).data).toEqual({ dossier: null });
    issuer.grant(MARC, { serviceId: TECQ, organizationId: MAGOG, role: 'USER' });
  });

  it('pages by cursor (the connection: nodes, edges, both ends of pageInfo), filters by status, program and title, and refuses bad page arguments', async () => {
    const page = (args: string) =>
      run(`{ dossiers(${args}) { nodes { title status } edges { cursor node { title } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`, {}, dgi);
    const first = (await page('first: 2')).data.dossiers;
    expect(first.nodes).toHaveLength(2);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(first.nodes.map((d: { title: string }) => d.title));
    expect([first.pageInfo.startCursor, first.pageInfo.endCursor]).toEqual([first.edges[0].cursor, first.edges[1].cursor]);
    const second = (await page(`first: 2, after: "${first.pageInfo.endCursor}"`)).data.dossiers;
    expect(second.nodes.map((d: { title: string }) => d.title)).not.toContain(first.nodes[0].title);
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    // An edge's cursor pages like endCursor: after the first edge comes the second dossier.
    const afterEdge = (await page(`first: 1, after: "${first.edges[0].cursor}"`)).data.dossiers;
    expect(afterEdge.nodes).toEqual([first.nodes[1]]);
    expect(second.totalCount).toBe(first.totalCount);
    const drafts = (await page(`filter: { status: DRAFT, serviceId: "${TECQ}" }, first: 50`)).data.dossiers;
    expect(drafts.nodes.every((d: { status: string }) => d.status === 'DRAFT')).toBe(true);
    expect((await page('filter: { search: "AQUEDUC" }')).data.dossiers.nodes.map((d: { title: string }) => d.title)).toEqual([
      "Remplacement de l'aqueduc de la rue des Pins",
      "Remplacement de conduites d'aqueduc",
    ]);
    expect((await page('filter: { search: "100%_" }')).data.dossiers.totalCount).toBe(0);
    for (const bad of ['first: 0', 'first: 101', 'after: "pas-un-curseur"', 'filter: { serviceId: "TECQ" }']) {
      const response = await page(bad);
      expect({ bad, code: codeOf(response) }).toEqual({ bad, code: 'BAD_USER_INPUT' });
      expect(response.errors![0]!.message).toMatch(/[éèà]|invalide|entre/);
    }
  });

  describe('workflow', () => {
    const CREATE = `mutation($input: CreateDossierInput!) { createDossier(input: $input) { dossier { id status requestedAmount history { fromStatus toStatus changedBy { id } } } } }`;
    const UPDATE = `mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { id title requestedAmount missingFormFields } } }`;
    const SUBMIT = `mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }`;
    const REVIEW = `mutation($id: ID!) { startDossierReview(input: { dossierId: $id }) { dossier { status } } }`;
    const DECIDE = `mutation($input: DecideDossierInput!) { decideDossier(input: $input) { dossier { status isClosed history { toStatus reason } } } }`;
    const newDossier = { organizationId: MAGOG, serviceId: TECQ, title: 'Pavage du chemin de la Rivière', requestedAmount: '480000.5' };

    it('R17: a user with a right on the program opens, fills and submits; the DGI reviews and decides; each step is audited', async () => {
      const created = await run(CREATE, { input: newDossier }, magogUser);
      expect(created.data.createDossier.dossier).toMatchObject({
        status: 'DRAFT',
        requestedAmount: '480000.50',
        history: [{ fromStatus: null, toStatus: 'DRAFT', changedBy: { id: MARC } }],
      });
      const id = created.data.createDossier.dossier.id as string;
      const incomplete = await run(SUBMIT, { id }, magogUser);
      expect(codeOf(incomplete)).toBe('BAD_USER_INPUT');
      expect(incomplete.errors![0]!.message).toContain('incomplet');
      const filled = await run(UPDATE, { input: { dossierId: id, form: { tecq: { population: 28_500, priority: 'LOCAL_ROADS', plannedWorkStartsOn: '2027-05-01' } } } }, magogUser);
      expect(filled.data.updateDossier.dossier.missingFormFields).toEqual([]);
      // Staff review, they do not submit; users submit, they do not review.
      expect(codeOf(await run(SUBMIT, { id }, dgi))).toBe('FORBIDDEN');
      expect((await run(SUBMIT, { id }, magogUser)).data.submitDossier.dossier.status).toBe('SUBMITTED');
      expect(codeOf(await run(UPDATE, { input: { dossierId: id, title: 'Trop tard' } }, magogUser))).toBe('CONFLICT');
      expect(codeOf(await run(REVIEW, { id }, magogUser))).toBe('FORBIDDEN');
      expect(codeOf(await run(REVIEW, { id }, dniff))).toBe('NOT_FOUND');
      expect((await run(REVIEW, { id }, dgi)).data.startDossierReview.dossier.status).toBe('IN_REVIEW');
      expect(codeOf(await run(DECIDE, { input: { dossierId: id, decision: 'REFUSED' } }, dgi))).toBe('BAD_USER_INPUT');
      const decided = await run(DECIDE, { input: { dossierId: id, decision: 'REFUSED', reason: 'Travaux non admissibles.' } }, dgi);
      expect(decided.data.decideDossier.dossier).toEqual({
        status: 'REFUSED',
        isClosed: true,
        history: [
          { toStatus: 'DRAFT', reason: null },
          { toStatus: 'SUBMITTED', reason: null },
          { toStatus: 'IN_REVIEW', reason: null },
          { toStatus: 'REFUSED', reason: 'Travaux non admissibles.' },
        ],
      });
      const trail = await subgraph.database.orm.em.fork().find(AuditEvent, { targetId: id }, { orderBy: { occurredAt: 'asc' } });
      expect(trail.map((event) => [event.action, event.after?.status])).toEqual([
        ['DOSSIER_CREATED', 'DRAFT'],
        ['DOSSIER_STATUS_CHANGED', 'SUBMITTED'],
        ['DOSSIER_STATUS_CHANGED', 'IN_REVIEW'],
        ['DOSSIER_STATUS_CHANGED', 'REFUSED'],
      ]);
    });

    it('R14, R20: nobody opens a dossier for another organization or in a program they hold no right on', async () => {
      const before = await countRows();
      expect(codeOf(await run(CREATE, { input: { ...newDossier, serviceId: PRIMEAU } }, magogUser))).toBe('FORBIDDEN');
      expect(codeOf(await run(CREATE, { input: newDossier }, sherbrookeUser))).toBe('FORBIDDEN');
      expect(codeOf(await run(CREATE, { input: newDossier }, dgi))).toBe('FORBIDDEN');
      expect(await countRows()).toEqual(before);
    });

    it('bad input gets a French message naming the field, and nothing is written', async () => {
      const before = await countRows();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ requestedAmount: '-5' }, 'input.requestedAmount'],
        [{ requestedAmount: '0.00' }, 'input.requestedAmount'],
        [{ title: 'a' }, 'input.title'],
        [{ form: { tecq: { population: -3 } } }, 'input.form.tecq.population'],
        [{ form: { tecq: { plannedWorkStartsOn: '2027-05-01', plannedWorkEndsOn: '2027-01-01' } } }, 'input.form.tecq.plannedWorkEndsOn'],
        [{ form: { waterInfrastructure: { populationServed: 10 } } }, 'input.form'],
      ];
      for (const [change, field] of cases) {
        const response = await run(CREATE, { input: { ...newDossier, ...change } }, magogUser);
        expect({ change, code: codeOf(response), field: response.errors?.[0]?.extensions?.field }).toEqual({ change, code: 'BAD_USER_INPUT', field });
        expect(response.errors![0]!.message).not.toMatch(/zod|Error|\(.*:\d+:\d+\)/);
      }
      // What the Money and Date scalars refuse (a float, a third decimal, a day that does not
      // exist) is refused by the kit's input layer before any resolver, the field named as well.
      const refusedByScalars: Array<[Record<string, unknown>, string, RegExp]> = [
        [{ requestedAmount: 480_000.5 }, 'input.requestedAmount', /Montant invalide/],
        [{ requestedAmount: '10.005' }, 'input.requestedAmount', /deux décimales/],
        [{ form: { tecq: { plannedWorkStartsOn: '2027-02-30' } } }, 'input.form.tecq.plannedWorkStartsOn', /Date invalide/],
      ];
      for (const [change, field, reason] of refusedByScalars) {
        const response = await run(CREATE, { input: { ...newDossier, ...change } }, magogUser);
        expect({ change, code: codeOf(response), field: response.errors?.[0]?.extensions?.field }).toEqual({ change, code: 'BAD_USER_INPUT', field });
        expect(response.errors![0]!.message).toMatch(reason);
      }
      const unknown = await run(UPDATE, { input: { dossierId: stableId('dossier', 'nope'), title: 'Nouveau titre' } }, magogUser);
      expect(codeOf(unknown)).toBe('NOT_FOUND');
      // A dossier that exists but is hidden gets the very same answer.
      const hidden = await run(UPDATE, { input: { dossierId: stableId('dossier', 'SHE-RECIM-2024'), title: 'Nouveau titre' } }, magogUser);
      expect(hidden.errors).toEqual(unknown.errors);
      expect(codeOf(await run(CREATE, { input: { ...newDossier, serviceId: PERFORM } }, await bearer({ userId: MARC, organizationId: MAGOG })))).toBe('FORBIDDEN');
      expect(await countRows()).toEqual(before);
    });
  });

  it('asks the decision point once per request, whatever the number of records checked', async () => {
    const before = issuer.rightsCalls();
    const representations = ['MAG-TECQ-2024', 'MAG-PRIMEAU-2023', 'MAG-PRABAM-2023', 'SHE-RECIM-2024', 'LEV-FIMEAU-2024'].map((key) => ({
      __typename: 'Dossier',
      id: stableId('dossier', key),
    }));
    const response = await run<{ _entities: Array<{ title: string } | null> }>(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { title organization { id } } } }',
      { r: [...representations, { __typename: 'Organization', id: MAGOG }] },
      magogUser,
    );
    expect(response.data!._entities.filter(Boolean)).toHaveLength(2); // the TECQ dossier, and Magog's organization
    expect(issuer.rightsCalls() - before).toBe(1);
  });

  it('fails closed, honestly: without an answer from the decision point, a user of the organization reads nothing and is told to retry', async () => {
    const blind = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl });
    try {
      const response = await execute(blind.url, `{ dossier(id: "${stableId('dossier', 'MAG-TECQ-2024')}") { title } }`, {}, magogUser);
      expect(response.data).toEqual({ dossier: null });
      expect(response.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([[['dossier'], 'SERVICE_UNAVAILABLE']]);
    } finally {
      await blind.close();
    }
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = subgraph.database.orm.em.fork();
    const before = await em.count(Dossier);
    await em.transactional((tx) => seedMandatesDemoData(tx));
    expect(await em.count(Dossier)).toBe(before);
  });
});
