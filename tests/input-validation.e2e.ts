import { stableId } from '@pgamr/kit';
import type { TestSubgraph } from '@pgamr/kit/testing';
import { execute, type GraphQLResponse } from './support/graphql';
import { rowCounts } from './support/rows';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// Issue 13, section 4: bad input gets a clear error (BAD_USER_INPUT, the field, in French) and
// writes nothing, through the gateway and straight to the subgraphs.

const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', 'TECQ');
const MAGOG_TECQ_DOSSIER = stableId('dossier', 'MAG-TECQ-2025');
const MAGOG_2025_REPORT = stableId('financial-report', 'MUN-45072:2025');
const KIB_200 = 'x'.repeat(200 * 1024);

type Headers = Record<string, string>;
type SubgraphName = keyof Stack['subgraphs'];

let stack: Stack;
const identityLog: string[] = [];
let isabelle: Headers; // RSÉ of Magog, local manager of TECQ
let marc: Headers; // Magog, TECQ and PAVL user
let caroline: Headers; // Magog, PERFORM preparer

const gateway = <T = any>(query: string, variables: Record<string, unknown>, headers: Headers = {}) =>
  execute<T>(stack.gatewayUrl, query, variables, headers);

beforeAll(async () => {
  stack = await startStack({ subgraphLogLines: { identity: identityLog } });
  const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
  [isabelle, marc, caroline] = await Promise.all([as('MAG0000001'), as('MAG0000002'), as('MAG0000004')]);
});

afterAll(async () => {
  await stack?.close();
});

/**
 * Runs `send` and checks it was refused as bad input on `field`, in French (the kit's layer
 * words it « Le champ « … » … »; a resolver's own check, its own way), with every table of
 * `subgraph` untouched.
 */
async function expectRefusedWritingNothing(subgraph: SubgraphName, field: string, send: () => Promise<GraphQLResponse<unknown>>) {
  const target: TestSubgraph = stack.subgraphs[subgraph];
  const before = await rowCounts(target);
  const response = await send();
  expect(response.errors).toEqual([
    expect.objectContaining({ message: expect.not.stringMatching(/erreur interne/), extensions: { code: 'BAD_USER_INPUT', field } }),
  ]);
  // The field is null (a mutation: the whole data), never a partial write's result.
  expect(Object.values((response.data ?? {}) as Record<string, unknown>).filter((value) => value !== null)).toEqual([]);
  expect(await rowCounts(target)).toEqual(before);
  return response;
}

const CREATE_DOSSIER = 'mutation($input: CreateDossierInput!) { createDossier(input: $input) { dossier { id title } } }';
const SIGN_IN = 'mutation($input: SignInInput!) { signIn(input: $input) { session { accessToken } } }';
const CREATE_ROAD_AID_APPLICATION = 'mutation($i: CreateRoadAidApplicationInput!) { createRoadAidApplication(input: $i) { roadAidApplication { id } } }';
const UPDATE_DOSSIER = 'mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { title } } }';
const dossierInput = (fields: Record<string, unknown>) => ({ organizationId: MAGOG, serviceId: TECQ, title: 'Réfection de la rue Principale', requestedAmount: '125000.00', ...fields });

describe('a NUL character or a lone surrogate in any text argument: BAD_USER_INPUT, never an internal error', () => {
  it.each([
    ['NUL', 'Pins\u0000'],
    ['lone surrogate', 'Pins\uD800'],
  ])('%s in a search', async (_case, search) => {
    const response = await expectRefusedWritingNothing('mandates', 'filter.search', () =>
      gateway('query($s: String) { dossiers(filter: { search: $s }) { totalCount } }', { s: search }, marc),
    );
    expect(response.errors?.[0]?.message).toMatch(/Le champ « filter.search » contient un caractère/);
  });

  it.each([
    ['NUL', 'MAG0000001\u0000'],
    ['lone surrogate', '\uDC00MAG0000001'],
  ])('%s in a sign-in code: refused before any attempt is counted', async (_case, code) => {
    await expectRefusedWritingNothing('identity', 'input.clicSequrCode', () =>
      gateway(SIGN_IN, { input: { clicSequrCode: code, password: 'Demo-PGAMR-2026!' } }),
    );
  });

  it('in a dossier title, a user name, a road segment name', async () => {
    await expectRefusedWritingNothing('mandates', 'input.title', () => gateway(CREATE_DOSSIER, { input: dossierInput({ title: 'Rue\u0000Principale' }) }, marc));
    await expectRefusedWritingNothing('identity', 'input.givenName', () =>
      gateway('mutation($i: CreateUserInput!) { createUser(input: $i) { temporaryPassword } }', { i: { givenName: 'Zo\uD83D', familyName: 'Essai', email: 'zoe@magog.ca' } }, isabelle),
    );
    await expectRefusedWritingNothing('road-aid', 'input.roadSegmentName', () =>
      gateway(
        CREATE_ROAD_AID_APPLICATION,
        { i: { organizationId: MAGOG, fiscalYear: 2026, roadSegmentName: 'Chemin\u0000des Pères', lengthKm: 2, requestedAmount: '1000' } },
        marc,
      ),
    );
  });
});

describe('control characters in a dossier title are refused, not written as is', () => {
  it.each([
    ['U+0007 (bell)', 'Aqueduc\u0007'],
    ['U+001B (escape sequence)', '\u001B[2JAqueduc'],
    ['a line break (the title is one line)', 'Aqueduc\nrue des Pins'],
  ])('%s, at creation and at modification', async (_case, title) => {
    await expectRefusedWritingNothing('mandates', 'input.title', () => gateway(CREATE_DOSSIER, { input: dossierInput({ title }) }, marc));
    const before = await gateway('query($id: ID!) { dossier(id: $id) { title } }', { id: MAGOG_TECQ_DOSSIER }, marc);
    await expectRefusedWritingNothing('mandates', 'input.title', () => gateway(UPDATE_DOSSIER, { input: { dossierId: MAGOG_TECQ_DOSSIER, title } }, marc));
    expect(await gateway('query($id: ID!) { dossier(id: $id) { title } }', { id: MAGOG_TECQ_DOSSIER }, marc)).toEqual(before);
  });
});

describe('over-long input is refused, never cut', () => {
  const SUSPEND = 'mutation($u: ID!, $r: String!) { suspendUser(input: { userId: $u, reason: $r }) { user { status } } }';
  let userId: string;

  beforeAll(async () => {
    const created = await gateway<{ createUser: { user: { id: string } } }>(
      'mutation { createUser(input: { givenName: "Rémi", familyName: "Suspendu", email: "remi.suspendu@magog.ca" }) { user { id } } }',
      {},
      isabelle,
    );
    userId = created.data!.createUser.user.id;
  });

  it('200 KiB in suspendUser(input: { reason }): refused, the user still active; 500 characters on several lines kept whole', async () => {
    await expectRefusedWritingNothing('identity', 'input.reason', () => gateway(SUSPEND, { u: userId, r: KIB_200 }, isabelle));
    await expectRefusedWritingNothing('identity', 'input.reason', () => gateway(SUSPEND, { u: userId, r: 'x'.repeat(501) }, isabelle));
    expect((await gateway('query($u: ID!) { user(id: $u) { status } }', { u: userId }, isabelle)).data).toEqual({ user: { status: 'ACTIVE' } });

    const reason = `Départ de l'organisation.\n${'x'.repeat(474)}`;
    expect([...reason]).toHaveLength(500);
    expect(await gateway(SUSPEND, { u: userId, r: reason }, isabelle)).toEqual({ data: { suspendUser: { user: { status: 'SUSPENDED' } } }, errors: undefined });
    const trail = await gateway<{ auditTrail: { nodes: Array<{ action: string; targetId: string; after: Record<string, unknown> }> } }>(
      'query($o: ID!) { auditTrail(organizationId: $o, first: 5) { nodes { action targetId after } } }',
      { o: MAGOG },
      isabelle,
    );
    const suspension = trail.data!.auditTrail.nodes.find((event) => event.action === 'USER_SUSPENDED' && event.targetId === userId);
    expect(suspension!.after).toMatchObject({ status: 'SUSPENDED', reason });
  });

  it('a 200 KiB sign-in code: refused (the same whether a code exists, R6), not cut to a code that counts failures', async () => {
    await expectRefusedWritingNothing('identity', 'input.clicSequrCode', () =>
      gateway(SIGN_IN, { input: { clicSequrCode: `MAG0000001${KIB_200}`, password: 'x' } }),
    );
  });

  it("a 200 KiB mandataireCode: refused before identity's directory is asked", async () => {
    const grant = (mandataireCode: string) =>
      gateway(
        'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id } } }',
        { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [MAGOG_TECQ_DOSSIER], mandataireCode, level: 'CONSULTATION', startsOn: '2099-01-01' } },
        isabelle,
      );
    identityLog.length = 0;
    const response = await expectRefusedWritingNothing('mandates', 'input.mandataireCode', () => grant(KIB_200));
    expect(response.errors?.[0]?.message).toBe('Le champ « input.mandataireCode » compte 204800 caractères ; le maximum permis est 64.');
    expect(identityLog.filter((line) => line.includes('/directory/v1/firm-users'))).toEqual([]);
    // A well-formed code that is no firm user's is the resolver's own refusal, after the directory answered.
    const unknown = await grant('ZZZ9999999');
    expect(unknown.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.mandataireCode' });
  });
});

describe('dates and amounts the resolvers parse: BAD_USER_INPUT, never internal', () => {
  it.each([
    ['a day only', '2026-06-30'],
    ['a year past what PostgreSQL stores', '+200000-01-01T00:00:00Z'],
    ['no offset', '2026-06-30T08:00:00'],
  ])('nameDeputy with %s', async (_case, from) => {
    await expectRefusedWritingNothing('services', 'input.from', () =>
      gateway(
        'mutation($input: NameDeputyInput!) { nameDeputy(input: $input) { accessRight { id } } }',
        { input: { serviceId: TECQ, userId: stableId('user', 'MAG0000002'), from, until: '2099-01-01T00:00:00Z' } },
        isabelle,
      ),
    );
  });

  it("nameDeputy with a period written in the document without its offset: the gateway refuses it, it is no subgraph outage", async () => {
    await expectRefusedWritingNothing('services', 'input.until', () =>
      gateway(
        `mutation { nameDeputy(input: { serviceId: "${TECQ}", userId: "${stableId('user', 'MAG0000002')}",
          from: "2026-06-30T08:00:00-04:00", until: "2099-01-01T08:00:00" }) { accessRight { id } } }`,
        {},
        isabelle,
      ),
    );
  });

  it.each(['-5.00', '0'])('a dossier amount of %s, which the resolver refuses', async (requestedAmount) => {
    await expectRefusedWritingNothing('mandates', 'input.requestedAmount', () => gateway(CREATE_DOSSIER, { input: dossierInput({ requestedAmount }) }, marc));
  });

  // API v1: amounts are Money (exact decimal strings) and days are Date; what those scalars refuse
  // is refused by the kit's input layer in the subgraph, before any resolver, on the same terms.
  it.each([1e300, 125000.5, '0.001', '1e300', '1000000000000.00'])('a dossier amount of %s, which the Money scalar refuses', async (requestedAmount) => {
    await expectRefusedWritingNothing('mandates', 'input.requestedAmount', () => gateway(CREATE_DOSSIER, { input: dossierInput({ requestedAmount }) }, marc));
  });

  it('a mandate starting on a day that does not exist', async () => {
    await expectRefusedWritingNothing('mandates', 'input.startsOn', () =>
      gateway(
        'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id } } }',
        { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [MAGOG_TECQ_DOSSIER], mandataireCode: 'GCE0000002', level: 'CONSULTATION', startsOn: '2099-02-30' } },
        isabelle,
      ),
    );
  });

  it.each([1e300, '1e300', '10000000000000.00'])('a financial report figure of %s, not an amount its column holds', async (taxRevenue) => {
    await expectRefusedWritingNothing('mandates', 'input.auditedFinancialReport.taxRevenue', () =>
      gateway(
        'mutation($input: UpdateFinancialReportInput!) { updateFinancialReport(input: $input) { report { id } } }',
        { input: { reportId: MAGOG_2025_REPORT, auditedFinancialReport: { taxRevenue } } },
        caroline,
      ),
    );
  });

  it.each([1e20, '1000000000000.00', '125000.505', 0.1])('a road aid amount that is not exact money or too large for its column: %p', async (requestedAmount) => {
    const road = stack.subgraphs['road-aid'];
    const before = await rowCounts(road);
    const response = await gateway(
      CREATE_ROAD_AID_APPLICATION,
      { i: { organizationId: MAGOG, fiscalYear: 2026, roadSegmentName: 'Chemin des Pères', lengthKm: 2, requestedAmount } },
      marc,
    );
    // The gateway holds it to the Money scalar before planning: in French, with the argument's path, never the value.
    expect(response.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Montant invalide/), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.requestedAmount' }) }),
    ]);
    expect(JSON.stringify(response.errors)).not.toContain(String(requestedAmount));
    expect(response.data ?? null).toBeNull();
    expect(await rowCounts(road)).toEqual(before);
  });

  it('an e-mail address that is not one, as a variable or written in the operation: refused, never internal, no user written', async () => {
    const identity = stack.subgraphs.identity;
    const before = await rowCounts(identity);
    const asVariable = await gateway('mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }', { i: { givenName: 'Zoé', familyName: 'Essai', email: 'pas-un-courriel' } }, isabelle);
    expect(asVariable.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/Adresse courriel invalide/), extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'input.email' }) }),
    ]);
    const inline = await gateway('mutation { createUser(input: { givenName: "Zoé", familyName: "Essai", email: "pas-un-courriel" }) { user { id } } }', {}, isabelle);
    expect(inline.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/Adresse courriel invalide/), extensions: expect.objectContaining({ code: expect.stringMatching(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/) }) })]);
    expect(await rowCounts(identity)).toEqual(before);
  });

  it('a road aid amount of zero or less', async () => {
    for (const requestedAmount of ['0', '-5.00']) {
      await expectRefusedWritingNothing('road-aid', 'input.requestedAmount', () =>
        gateway(CREATE_ROAD_AID_APPLICATION, { i: { organizationId: MAGOG, fiscalYear: 2026, roadSegmentName: 'Chemin des Pères', lengthKm: 2, requestedAmount } }, marc),
      );
    }
  });
});

describe('straight to the subgraphs', () => {
  const post = (url: string, body: Record<string, unknown>, headers: Headers = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it.each(['identity', 'services', 'mandates', 'road-aid'] as const)('%s: _entities with an unknown __typename, or malformed, is BAD_USER_INPUT', async (name) => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    for (const [representations, field] of [
      [[{ __typename: 'Inconnu', id: '1' }], 'representations.0.__typename'],
      [[{ __typename: 'Organization' }], 'representations.0'],
      [[42], 'representations.0'],
    ] as const) {
      const response = await post(stack.subgraphs[name].url, { query, variables: { r: representations } }, marc);
      expect(response.status).toBe(200);
      const body = (await response.json()) as GraphQLResponse<unknown>;
      expect(body.errors).toEqual([{ message: expect.stringMatching(/^La représentation d'entité/), extensions: { code: 'BAD_USER_INPUT', field } }]);
    }
  });

  it('mandates: the same refusal of a NUL in a title, without the gateway', async () => {
    await expectRefusedWritingNothing('mandates', 'input.title', () =>
      execute(stack.subgraphs.mandates.url, CREATE_DOSSIER, { input: dossierInput({ title: 'a\u0000' }) }, marc),
    );
  });
});

describe('operationName naming no operation of the document', () => {
  it.each([
    ['the gateway', () => stack.gatewayUrl],
    ['a subgraph', () => stack.subgraphs.mandates.url],
  ])('%s answers HTTP 400, OPERATION_RESOLUTION_FAILURE, in French', async (_where, url) => {
    const response = await fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...marc },
      body: JSON.stringify({ query: 'query Mine { dossiers { totalCount } } query Theirs { dossiers { totalCount } }', operationName: 'Absente' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Le document ne définit aucune opération du nom donné dans operationName.', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }],
    });
  });
});
