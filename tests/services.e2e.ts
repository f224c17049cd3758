import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { offsetClock } from '@pgamr/kit/testing';
import { newUserOf } from './support/new-user';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
/** What every subgraph and the gateway read as now: the wall clock's time until a test moves it (R10). */
const clock = offsetClock();
const TECQ = stableId('online-service', 'TECQ');
const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');

beforeAll(async () => {
  stack = await startStack({ clock });
});

afterAll(async () => {
  await stack?.close();
});

type Headers = Record<string, string>;
const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string, password?: string) => bearer(await signIn(stack.gatewayUrl, code, password));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;


const REQUEST = 'mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id kind status } } }';
const DECIDE = `mutation($r: ID!, $d: AccessDecision!, $why: String) {
  decideAccessRequest(input: { accessRequestId: $r, decision: $d, reason: $why }) { accessRequest { status reason } } }`;
const NAME_DEPUTY = `mutation($s: ID!, $u: ID!, $f: DateTime!, $t: DateTime!) {
  nameDeputy(input: { serviceId: $s, userId: $u, from: $f, until: $t }) { accessRight { id role validFrom validUntil } } }`;
const TRANSFER = `mutation($s: ID!, $o: ID!, $u: ID!) {
  transferManagerRole(input: { serviceId: $s, organizationId: $o, role: LOCAL_MANAGER, newUserId: $u }) { accessRight { id role user { id } } } }`;
const REVOKE = 'mutation($r: ID!) { revokeAccessRight(input: { accessRightId: $r }) { accessRight { id } } }';
const RIGHTS = 'query($s: ID!, $o: ID!) { accessRights(serviceId: $s, organizationId: $o, first: 100) { nodes { id role user { id } } } }';
const TRAIL = 'query($s: ID!, $o: ID!) { serviceAuditTrail(serviceId: $s, organizationId: $o, first: 100) { nodes { action actor { id } occurredAt before after } } }';
const request = async (headers: Headers, service = TECQ) => (await gateway(REQUEST, { s: service }, headers)).data.requestAccess.accessRequest as { id: string; kind: string };
const decide = (headers: Headers, requestId: string, decision = 'GRANT', why?: string) => gateway(DECIDE, { r: requestId, d: decision, why }, headers);
const decided = (response: { data?: { decideAccessRequest?: { accessRequest: { status: string; reason: string | null } } } | null }) =>
  response.data?.decideAccessRequest?.accessRequest;

describe('R8–R11: access to a service for a municipality without a local manager', () => {
  // Each test works on a service of its own at Sherbrooke, which has no local manager for any of
  // these in the demo data: none counts on another having run, or on its leftovers.
  const FIMEAU = stableId('online-service', 'FIMEAU');
  const PRACIM = stableId('online-service', 'PRACIM');
  const PRABAM = stableId('online-service', 'PRABAM');
  let sophie: Headers;
  let dgi: Headers;

  beforeAll(async () => {
    [sophie, dgi] = await Promise.all([as('SHE0000001'), as('MAM0000002')]);
  });

  /** R8: Sophie becomes `service`'s local manager at Sherbrooke, the DGI granting her request. */
  async function sophieManages(service: string): Promise<void> {
    const asked = await request(sophie, service);
    expect(asked.kind).toBe('LOCAL_MANAGER');
    expect(decided(await decide(dgi, asked.id))?.status).toBe('GRANTED');
  }

  /** A new Sherbrooke user granted `service` by Sophie, its local manager. */
  async function newUserGranted(service: string, givenName: string): Promise<{ id: string; headers: Headers }> {
    const user = await newUserOf(stack.gatewayUrl, sophie, givenName);
    expect(decided(await decide(sophie, (await request(user.headers, service)).id))?.status).toBe('GRANTED');
    return user;
  }

  it('the first requester becomes local manager once the DGI approves; nobody decides their own request', async () => {
    const first = await request(sophie);
    expect(first).toMatchObject({ kind: 'LOCAL_MANAGER' });
    expect(codeOf(await decide(sophie, first.id))).toBe('FORBIDDEN');
    // DNIFF does not own TECQ: it cannot decide.
    expect(codeOf(await decide(await as('MAM0000003'), first.id))).toBe('FORBIDDEN');
    const pending = await gateway(
      'query($s: ID!) { pendingAccessRequests(serviceId: $s) { totalCount nodes { id requester { givenName } organization { name } createdAt } } }',
      { s: TECQ },
      dgi,
    );
    expect(pending.data.pendingAccessRequests).toEqual({
      totalCount: 1,
      nodes: [{ id: first.id, requester: { givenName: 'Sophie' }, organization: { name: 'Ville de Sherbrooke' }, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) }],
    });
    expect((await decide(dgi, first.id)).data).toEqual({ decideAccessRequest: { accessRequest: { status: 'GRANTED', reason: null } } });

    const who = await gateway('query($s: ID!, $o: ID!) { localManager(serviceId: $s, organizationId: $o) { hasLocalManager localManager { givenName } } }', { s: TECQ, o: SHERBROOKE }, sophie);
    expect(who.data.localManager).toEqual({ hasLocalManager: true, localManager: { givenName: 'Sophie' } });
  });

  it('a colleague requests access, the local manager grants it, and the service shows under Infrastructures', async () => {
    await sophieManages(FIMEAU);
    const colleague = await newUserOf(stack.gatewayUrl, sophie, 'Alexis');
    const asked = await request(colleague.headers, FIMEAU);
    expect(asked.kind).toBe('ACCESS');
    // At most one pending request per (user, service).
    expect(codeOf(await gateway(REQUEST, { s: FIMEAU }, colleague.headers))).toBe('CONFLICT');
    // The manager of another organization cannot decide it.
    expect(codeOf(await decide(await as('MAG0000001'), asked.id))).toBe('FORBIDDEN');
    expect(decided(await decide(sophie, asked.id))?.status).toBe('GRANTED');

    const mine = await gateway('{ me { onlineServices { sector { name } services { service { code } organization { name } roles } } } }', {}, colleague.headers);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.me.onlineServices).toEqual([
      { sector: { name: 'Infrastructures' }, services: [{ service: { code: 'FIMEAU' }, organization: { name: 'Ville de Sherbrooke' }, roles: ['USER'] }] },
    ]);
  });

  it('R10: a deputy named for a period covering today decides requests; once the period ends, the deputy is refused', async () => {
    await sophieManages(PRACIM);
    const colleague = await newUserGranted(PRACIM, 'Alexis');
    const now = clock.now().getTime();
    // A period given with an offset (Québec's, in winter) is stored and answered as the same instants.
    const from = new Date(Math.floor((now - 3_600_000) / 1000) * 1000);
    const fromInQuebec = new Date(from.getTime() - 5 * 3_600_000).toISOString().replace(/\.000Z$/, '-05:00');
    const until = new Date(now + 86_400_000);
    const named = await gateway(NAME_DEPUTY, { s: PRACIM, u: colleague.id, f: fromInQuebec, t: until.toISOString() }, sophie);
    expect(named.data.nameDeputy.accessRight).toMatchObject({ role: 'DEPUTY_MANAGER', validFrom: from.toISOString(), validUntil: until.toISOString() });
    const third = await newUserOf(stack.gatewayUrl, sophie, 'Béatrice');
    const thirdRequest = await request(third.headers, PRACIM);
    expect(decided(await decide(colleague.headers, thirdRequest.id))?.status).toBe('GRANTED');
    // R12: the organization's users see who acts for the manager now.
    const who = await gateway(
      'query($s: ID!, $o: ID!) { localManager(serviceId: $s, organizationId: $o) { activeDeputies { totalCount nodes { id givenName } } } }',
      { s: PRACIM, o: SHERBROOKE },
      third.headers,
    );
    expect(who.data.localManager.activeDeputies).toEqual({ totalCount: 1, nodes: [{ id: colleague.id, givenName: 'Alexis' }] });

    // A deputy whose period ends in ten minutes: it decides now, and no longer once the stack's
    // clock has moved past the end (nothing waits for the wall clock).
    const tenMinutes = 10 * 60_000;
    const shortPeriod = await gateway(
      NAME_DEPUTY,
      { s: PRACIM, u: third.id, f: new Date(clock.now().getTime() - 60_000).toISOString(), t: new Date(clock.now().getTime() + tenMinutes).toISOString() },
      sophie,
    );
    expect(shortPeriod.errors).toBeUndefined();
    const fourth = await newUserOf(stack.gatewayUrl, sophie, 'Charles');
    const fourthRequest = (await request(fourth.headers, PRACIM)).id;
    const fifth = await newUserOf(stack.gatewayUrl, sophie, 'Daphné');
    expect(decided(await decide(third.headers, (await request(fifth.headers, PRACIM)).id))?.status).toBe('GRANTED');
    clock.advance(tenMinutes + 60_000);
    try {
      // Tokens last 15 minutes: the ones in hand are still good, the period is not.
      expect(codeOf(await decide(third.headers, fourthRequest))).toBe('FORBIDDEN');
      const deputies = await gateway(
        'query($s: ID!, $o: ID!) { localManager(serviceId: $s, organizationId: $o) { activeDeputies { nodes { id } } } }',
        { s: PRACIM, o: SHERBROOKE },
        third.headers,
      );
      expect(deputies.data.localManager.activeDeputies.nodes).toEqual([{ id: colleague.id }]);
    } finally {
      clock.advance(-(tenMinutes + 60_000));
    }
  });

  it('R11: after a transfer by the DGI, the former local manager is refused on the next request', async () => {
    await sophieManages(PRABAM);
    const colleague = await newUserGranted(PRABAM, 'Alexis');
    // Alexis is also Sophie's deputy, for a day.
    const day = { f: new Date(clock.now().getTime() - 60_000).toISOString(), t: new Date(clock.now().getTime() + 86_400_000).toISOString() };
    expect((await gateway(NAME_DEPUTY, { s: PRABAM, u: colleague.id, ...day }, sophie)).errors).toBeUndefined();
    const fourth = await newUserOf(stack.gatewayUrl, sophie, 'Charles');
    const fourthRequest = (await request(fourth.headers, PRABAM)).id;

    const transfer = await gateway(TRANSFER, { s: PRABAM, o: SHERBROOKE, u: colleague.id }, dgi);
    expect(transfer.errors).toBeUndefined();
    expect(transfer.data.transferManagerRole.accessRight).toMatchObject({ role: 'LOCAL_MANAGER', user: { id: colleague.id } });
    // R4 of the contract: the narrow ManagerRole enum refuses any other role before anything runs.
    const wrongRole = await gateway(TRANSFER.replace('LOCAL_MANAGER', 'USER'), { s: PRABAM, o: SHERBROOKE, u: colleague.id }, dgi);
    expect(codeOf(wrongRole)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(codeOf(await decide(sophie, fourthRequest, 'REFUSE', 'Essai'))).toBe('FORBIDDEN');
    // Alexis is both the new manager and a deputy: his decision stands, with the reason required for a refusal.
    expect(codeOf(await decide(colleague.headers, fourthRequest, 'REFUSE'))).toBe('BAD_USER_INPUT');
    const refusal = await decide(colleague.headers, fourthRequest, 'REFUSE');
    expect(refusal.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.reason' });
    expect(decided(await decide(colleague.headers, fourthRequest, 'REFUSE', 'Accès non requis pour ce poste.'))).toEqual({
      status: 'REFUSED',
      reason: 'Accès non requis pour ce poste.',
    });
    // The owner's staff and the new manager read the trail of these changes, newest first.
    const trail = await gateway(TRAIL, { s: PRABAM, o: SHERBROOKE }, dgi);
    const entries = trail.data.serviceAuditTrail.nodes as Array<{ action: string; actor: { id: string } | null; occurredAt: string; before: unknown; after: unknown }>;
    expect(entries.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['ACCESS_REQUEST_GRANTED', 'DEPUTY_MANAGER_NAMED', 'MANAGER_TRANSFERRED', 'ACCESS_REQUEST_REFUSED']),
    );
    expect(entries[0]).toMatchObject({ action: 'ACCESS_REQUEST_REFUSED', actor: { id: colleague.id }, before: null, after: { reason: 'Accès non requis pour ce poste.' } });
    expect([...entries].sort((a, b) => b.occurredAt.localeCompare(a.occurredAt))).toEqual(entries);
    const transferred = entries.find((entry) => entry.action === 'MANAGER_TRANSFERRED' && entry.before !== null);
    expect(transferred).toMatchObject({ before: { role: 'LOCAL_MANAGER', revokedAt: null }, after: { role: 'LOCAL_MANAGER', replacedBy: colleague.id } });
    // A user of the organization without a manager's powers does not read it.
    const refused = await gateway(TRAIL, { s: PRABAM, o: SHERBROOKE }, fourth.headers);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.data).toEqual({ serviceAuditTrail: null });
  });
});

describe('R12, R13, R14 and the decision point', () => {
  it('R12: a user learns who is the local manager of their organization, not of another', async () => {
    const marc = await as('MAG0000002');
    const ask = (organizationId: string) =>
      gateway(
        'query($s: ID!, $o: ID!) { localManager(serviceId: $s, organizationId: $o) { hasLocalManager localManager { familyName } } me { givenName } }',
        { s: TECQ, o: organizationId },
        marc,
      );
    expect((await ask(MAGOG)).data.localManager).toEqual({ hasLocalManager: true, localManager: { familyName: 'Tremblay' } });
    const refused = await ask(SHERBROOKE);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    // A refusal nulls that field only, never the rest of the answer.
    expect(refused.data).toEqual({ localManager: null, me: { givenName: 'Marc' } });
  });

  it("R13: the répondant municipal gives PERFORM roles to the organization's users; the external auditor's only to a mandated firme de vérificateur", async () => {
    const isabelle = await as('MAG0000001');
    const marcId = stableId('user', 'MAG0000002');
    const grantRole = (role: string, headers: Headers, userId = marcId) =>
      gateway('mutation($u: ID!, $r: PerformRole!) { grantPerformRole(input: { userId: $u, role: $r }) { accessRight { role service { code } } } }', { u: userId, r: role }, headers);
    expect((await grantRole('PERFORM_SIGNATORY', isabelle)).data.grantPerformRole).toEqual({ accessRight: { role: 'PERFORM_SIGNATORY', service: { code: 'PERFORM' } } });
    // Only PERFORM roles are accepted (PerformRole): any other is refused before anything runs.
    expect(codeOf(await grantRole('LOCAL_MANAGER', isabelle))).toBe('BAD_USER_INPUT');
    expect(codeOf(await grantRole('PERFORM_SIGNATORY', isabelle))).toBe('CONFLICT');
    // Marc is of Magog, not of a firme de vérificateur; Geneviève, Magog's auditor, is not of Magog.
    expect(codeOf(await grantRole('PERFORM_EXTERNAL_AUDITOR', isabelle))).toBe('FORBIDDEN');
    expect(codeOf(await grantRole('PERFORM_SIGNATORY', isabelle, stableId('user', 'VCE0000001')))).toBe('FORBIDDEN');
    expect(codeOf(await grantRole('PERFORM_PREPARER', await as('MAG0000002')))).toBe('FORBIDDEN');
    // Sherbrooke has no répondant: DNIFF names one; DGI cannot.
    const name = (headers: Headers) =>
      gateway(
        'mutation($o: ID!, $u: ID!) { nameMunicipalRespondent(input: { organizationId: $o, userId: $u }) { accessRight { role } } }',
        { o: SHERBROOKE, u: stableId('user', 'SHE0000001') },
        headers,
      );
    expect(codeOf(await name(await as('MAM0000002')))).toBe('FORBIDDEN');
    expect((await name(await as('MAM0000003'))).data.nameMunicipalRespondent.accessRight.role).toBe('MUNICIPAL_RESPONDENT');
    expect(codeOf(await name(await as('MAM0000003')))).toBe('CONFLICT');
  });

  it('a requester sees and cancels their own request; nobody else can cancel it', async () => {
    const marc = await as('MAG0000002');
    const primeau = stableId('online-service', 'PRIMEAU');
    const asked = (await gateway('mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id kind } } }', { s: primeau }, marc)).data.requestAccess
      .accessRequest;
    // Magog has no local manager for PRIMEAU: the request asks to become one.
    expect(asked.kind).toBe('LOCAL_MANAGER');
    const cancel = 'mutation($r: ID!) { cancelAccessRequest(input: { accessRequestId: $r }) { accessRequest { status decidedAt } } }';
    expect(codeOf(await gateway(cancel, { r: asked.id }, await as('MAG0000001')))).toBe('NOT_FOUND');
    const cancelled = (await gateway(cancel, { r: asked.id }, marc)).data.cancelAccessRequest.accessRequest;
    expect(cancelled).toEqual({ status: 'CANCELLED', decidedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    // Their own requests, newest first: the one just cancelled heads the first page.
    const mine = await gateway('{ myAccessRequests(first: 1) { totalCount pageInfo { hasNextPage } nodes { id status service { code } } } }', {}, marc);
    expect(mine.data.myAccessRequests.nodes).toEqual([{ id: asked.id, status: 'CANCELLED', service: { code: 'PRIMEAU' } }]);
    expect(mine.data.myAccessRequests.pageInfo.hasNextPage).toBe(mine.data.myAccessRequests.totalCount > 1);
  });

  it('R10: a deputy cannot remove or replace the local manager', async () => {
    const isabelle = await as('MAG0000001');
    const marcId = stableId('user', 'MAG0000002');
    const deputy = await gateway(
      NAME_DEPUTY,
      { s: TECQ, u: marcId, f: new Date(Date.now() - 60_000).toISOString(), t: new Date(Date.now() + 86_400_000).toISOString() },
      isabelle,
    );
    expect(deputy.errors).toBeUndefined();
    const marc = await as('MAG0000002');
    const rights = await gateway(RIGHTS, { s: TECQ, o: MAGOG }, marc);
    const managerRight = rights.data.accessRights.nodes.find((r: { role: string }) => r.role === 'LOCAL_MANAGER');
    expect(codeOf(await gateway(REVOKE, { r: managerRight.id }, marc))).toBe('FORBIDDEN');
    expect(codeOf(await gateway(TRANSFER, { s: TECQ, o: MAGOG, u: marcId }, marc))).toBe('FORBIDDEN');
    // The local manager ends the deputy's period early.
    const ended = await gateway(REVOKE, { r: deputy.data.nameDeputy.accessRight.id }, isabelle);
    expect(ended.data.revokeAccessRight).toEqual({ accessRight: { id: deputy.data.nameDeputy.accessRight.id } });
  });

  it("R5: the body's users holding « Mise à jour des données de la clientèle » correct its Répertoire entry; others cannot", async () => {
    const correct = `mutation($o: ID!) { correctRepertoire(input: { organizationId: $o, personsInAuthority: [
      { role: MAYOR, givenName: "Jean", familyName: "Lavallée" }, { role: DIRECTOR_GENERAL, givenName: "Isabelle", familyName: "Tremblay" },
      { role: TREASURER, givenName: "Luc", familyName: "Roberge" } ] }) { organization { personsInAuthority { role } } } }`;
    const allowed = await gateway(correct, { o: MAGOG }, await as('MAG0000001'));
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data.correctRepertoire.organization.personsInAuthority).toHaveLength(3);
    expect(codeOf(await gateway(correct, { o: MAGOG }, await as('MAG0000002')))).toBe('FORBIDDEN');
    expect(codeOf(await gateway(correct, { o: SHERBROOKE }, await as('MAG0000001')))).toBe('FORBIDDEN');
  });

  it("revoking a right shows in the mandates subgraph on the very next request", async () => {
    const isabelle = await as('MAG0000001');
    const marc = await as('MAG0000002');
    const tecqDossier = stableId('dossier', 'MAG-TECQ-2024');
    const read = () => gateway(`query($o: ID!) { organization(id: $o) { dossiers { nodes { title } } } dossier(id: "${tecqDossier}") { title } }`, { o: MAGOG }, marc);
    const before = await read();
    expect(before.data.dossier).toEqual({ title: 'Réfection de la rue Principale Ouest' });
    expect(before.data.organization.dossiers.nodes).toEqual([
      { title: 'Réfection de la rue Principale Ouest' },
      { title: "Remplacement de l'aqueduc de la rue des Pins" },
    ]);

    const rights = await gateway(RIGHTS, { s: TECQ, o: MAGOG }, isabelle);
    const marcsRight = rights.data.accessRights.nodes.find((r: { role: string; user: { id: string } }) => r.role === 'USER' && r.user.id === stableId('user', 'MAG0000002'));
    expect((await gateway(REVOKE, { r: marcsRight.id }, isabelle)).errors).toBeUndefined();

    const after = await read();
    expect(after.data.dossier).toBeNull();
    // Without any right in Magog's programs, Marc no longer gets its list at all.
    expect(after.data.organization.dossiers).toBeNull();
    expect(after.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    // R14: Isabelle, local manager and user of TECQ, still reads it.
    const hers = await gateway(`{ dossier(id: "${tecqDossier}") { title } }`, {}, isabelle);
    expect(hers.data.dossier).toEqual({ title: 'Réfection de la rue Principale Ouest' });
  });
});
