import { AuditEvent, IdentityRole, stableId } from '@pgamr/kit';
import { offsetClock, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { DisclosureEvent } from '../src/disclosure/disclosure-event.entity';
import { Mandate } from '../src/mandate/mandate.entity';
import { quebecToday } from '../src/calendar';
import { mandatesSubgraph } from '../src/server';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
/** The subgraph's clock: on the wall clock's time until a test moves it (R16's dates). */
const clock = offsetClock();
const DAY_MS = 86_400_000;
type Headers = Record<string, string>;

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const FIRM = stableId('organization', 'FIRM-GCE');
const OTHER_FIRM = stableId('organization', 'FIRM-OTHER');
const TECQ = stableId('online-service', 'TECQ');
const ISABELLE = stableId('user', 'MAG0000001');
const MARC = stableId('user', 'MAG0000002');
const JULIEN = stableId('user', 'GCE0000001');
const AMELIE = stableId('user', 'GCE0000002');
const NOEMIE = stableId('user', 'GCE0000003');
const OUTSIDER = stableId('user', 'OTH0000001');
const TECQ_2024 = stableId('dossier', 'MAG-TECQ-2024');
const TECQ_2025 = stableId('dossier', 'MAG-TECQ-2025');
const SHE_RECIM_2024 = stableId('dossier', 'SHE-RECIM-2024');

const headers: Record<string, Headers> = {};
const run = <T = any>(query: string, variables: Record<string, unknown>, who: Headers) => execute<T>(subgraph.url, query, variables, who);
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const today = () => quebecToday(clock.now());
const addDays = (days: number) => new Date(Date.parse(`${today()}T12:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

const GRANT = 'mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate { id level status startsOn endsOn mandataire { id } firm { id } } } }';
const DELEGATE = 'mutation($input: DelegateMandateInput!) { delegateMandate(input: $input) { mandate { id level startsOn endsOn parent { id } } } }';
const REVOKE = 'mutation($id: ID!) { revokeMandate(input: { mandateId: $id }) { mandate { id status revokedAt } } }';
const grantInput = (overrides: Record<string, unknown> = {}) => ({
  organizationId: MAGOG,
  serviceId: TECQ,
  dossierIds: [TECQ_2025],
  mandataireCode: 'GCE0000002',
  level: 'PREPARATION',
  startsOn: today(),
  endsOn: addDays(90),
  ...overrides,
});

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl, clock });
  issuer.grant(ISABELLE, { serviceId: TECQ, organizationId: MAGOG, role: 'LOCAL_MANAGER' });
  issuer.grant(ISABELLE, { serviceId: TECQ, organizationId: MAGOG, role: 'USER' });
  issuer.grant(MARC, { serviceId: TECQ, organizationId: MAGOG, role: 'USER' });
  issuer.registerFirmUser('GCE0000001', { userId: JULIEN, organizationId: FIRM, displayName: 'Julien Côté' });
  issuer.registerFirmUser('GCE0000002', { userId: AMELIE, organizationId: FIRM, displayName: 'Amélie Bouchard' });
  issuer.registerFirmUser('GCE0000003', { userId: NOEMIE, organizationId: FIRM, displayName: 'Noémie Roy' });
  issuer.registerFirmUser('OTH0000001', { userId: OUTSIDER, organizationId: OTHER_FIRM, displayName: 'Olivier Tremblay' });
  headers.isabelle = await mint(ISABELLE, MAGOG, [IdentityRole.Rse]);
  headers.marc = await mint(MARC, MAGOG);
  headers.julien = await mint(JULIEN, FIRM, [IdentityRole.Rse]);
  headers.amelie = await mint(AMELIE, FIRM);
  headers.noemie = await mint(NOEMIE, FIRM);
  headers.sophie = await mint(stableId('user', 'SHE0000001'), SHERBROOKE, [IdentityRole.Rse]);
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

/** A token dated on the subgraph's clock. */
const mint = async (userId: string, organizationId: string, roles: string[] = []) => ({
  authorization: `Bearer ${await issuer.mint({ userId, organizationId, roles, now: clock.now() })}`,
});

async function rowCounts() {
  const em = subgraph.database.orm.em.fork();
  return { mandates: await em.count(Mandate), audit: await em.count(AuditEvent) };
}

describe('mandates subgraph: mandates and record-level access (R15, R16)', () => {
  // Every test of this block works on the one mandate given here, each on its own: none counts on another having run.
  let granted: any;
  let mandateId: string;
  beforeAll(async () => {
    granted = await run(GRANT, { input: grantInput() }, headers.isabelle!);
    mandateId = granted.data?.grantMandate?.mandate?.id;
  });

  it("R15: the local manager mandates a firm's user on one dossier; the grant is audited", async () => {
    expect(granted.errors).toBeUndefined();
    expect(granted.data.grantMandate.mandate).toMatchObject({ level: 'PREPARATION', status: 'ACTIVE', mandataire: { id: AMELIE }, firm: { id: FIRM } });
    const audit = await subgraph.database.orm.em.fork().find(AuditEvent, { targetId: mandateId });
    expect(audit.map((event) => [event.action, event.actorUserId, event.after?.dossierIds])).toEqual([['MANDATE_GRANTED', ISABELLE, [TECQ_2025]]]);
  });

  it('R15: the mandataire reaches exactly that dossier, by every path', async () => {
    const amelie = headers.amelie!;
    expect((await run(`{ dossier(id: "${TECQ_2025}") { title viewerPermissions { canEdit canSubmit } } }`, {}, amelie)).data.dossier).toEqual({
      title: "Remplacement de l'aqueduc de la rue des Pins",
      viewerPermissions: { canEdit: true, canSubmit: false },
    });
    expect((await run(`{ dossier(id: "${TECQ_2024}") { title } }`, {}, amelie)).data.dossier).toBeNull();
    const list = await run('{ dossiers(first: 100) { nodes { id } totalCount } }', {}, amelie);
    // Her other mandate (demo data) is on a Sherbrooke dossier: of Magog's, only the mandated one.
    expect(list.data.dossiers).toEqual({ nodes: [{ id: TECQ_2025 }, { id: SHE_RECIM_2024 }], totalCount: 2 });
    const searched = await run('{ dossiers(filter: { search: "Principale" }) { totalCount } }', {}, amelie);
    expect(searched.data.dossiers.totalCount).toBe(0);
    const entities = await run(
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { id } ... on OnlineService { dossiers { nodes { id } } } ... on User { mandates { nodes { id } } } } }',
      { r: [{ __typename: 'Dossier', id: TECQ_2024 }, { __typename: 'Dossier', id: TECQ_2025 }, { __typename: 'OnlineService', id: TECQ }, { __typename: 'User', id: AMELIE }] },
      amelie,
    );
    expect(entities.data._entities).toEqual([null, { id: TECQ_2025 }, { dossiers: { nodes: [{ id: TECQ_2025 }] } }, { mandates: { nodes: [{ id: mandateId }, { id: stableId('mandate', 'SHE-RECIM-GCE2') }] } }]);
    const orgList = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers { totalCount } } } }', { r: [{ __typename: 'Organization', id: MAGOG }] }, amelie);
    expect(codeOf(orgList)).toBe('FORBIDDEN');
    expect(codeOf(await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { mandatesGiven { totalCount } } } }', { r: [{ __typename: 'Organization', id: MAGOG }] }, amelie))).toBe('FORBIDDEN');
  });

  it('R16: at préparation the mandataire edits the form but cannot submit', async () => {
    const edited = await run(
      'mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { form { ... on TecqForm { plannedWorkEndsOn } } } } }',
      { input: { dossierId: TECQ_2025, form: { tecq: { population: 28_500, priority: 'DRINKING_WATER', plannedWorkStartsOn: '2027-05-01', plannedWorkEndsOn: '2027-09-30' } } } },
      headers.amelie!,
    );
    expect(edited.data.updateDossier.dossier.form).toEqual({ plannedWorkEndsOn: '2027-09-30' });
    expect(codeOf(await run('mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }', { id: TECQ_2025 }, headers.amelie!))).toBe('FORBIDDEN');
    // Another dossier of the organization: as if it did not exist.
    expect(codeOf(await run('mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { id } } }', { input: { dossierId: TECQ_2024, title: 'Piraté' } }, headers.amelie!))).toBe('NOT_FOUND');
  });

  it("R21: every read by the mandataire is in the disclosure log, which the organization's managers read and others do not", async () => {
    const LOG = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { disclosureLog(first: 100) { nodes { recordType recordId reader { id } mandate { id } } } } } }';
    // A read by the mandataire, logged at once.
    expect((await run(`{ dossier(id: "${TECQ_2025}") { title } }`, {}, headers.amelie!)).data.dossier).not.toBeNull();
    const log = await run(LOG, { r: [{ __typename: 'Organization', id: MAGOG }] }, headers.isabelle!);
    const entries = log.data._entities[0].disclosureLog.nodes;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((entry: any) => entry.recordId === TECQ_2025 && entry.reader.id === AMELIE && entry.mandate.id === mandateId)).toBe(true);
    expect(codeOf(await run(LOG, { r: [{ __typename: 'Organization', id: MAGOG }] }, headers.marc!))).toBe('FORBIDDEN');
    expect(codeOf(await run(LOG, { r: [{ __typename: 'Organization', id: MAGOG }] }, headers.amelie!))).toBe('FORBIDDEN');
    // Users of the organization reading their own dossiers are not "disclosures".
    const before = await subgraph.database.orm.em.fork().count(DisclosureEvent);
    await run(`{ dossier(id: "${TECQ_2025}") { title } }`, {}, headers.marc!);
    expect(await subgraph.database.orm.em.fork().count(DisclosureEvent)).toBe(before);
  });

  it('R15: both sides see the mandate; nobody else learns it exists', async () => {
    const query = `{ mandate(id: "${mandateId}") { id } }`;
    for (const who of ['isabelle', 'amelie', 'julien']) expect((await run(query, {}, headers[who]!)).data.mandate).toEqual({ id: mandateId });
    for (const who of ['marc', 'noemie', 'sophie']) expect((await run(query, {}, headers[who]!)).data.mandate).toBeNull();
    // Its dossiers, a page like any list of dossiers: only those each person may read (R14, R15).
    const dossiers = `{ mandate(id: "${mandateId}") { dossiers { nodes { id } totalCount } } }`;
    expect((await run(dossiers, {}, headers.isabelle!)).data.mandate.dossiers).toEqual({ nodes: [{ id: TECQ_2025 }], totalCount: 1 });
    expect((await run(dossiers, {}, headers.julien!)).data.mandate.dossiers).toEqual({ nodes: [], totalCount: 0 });
    const received = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { mandatesReceived { nodes { id } } } } }', { r: [{ __typename: 'Organization', id: FIRM }] }, headers.julien!);
    expect(received.data._entities[0].mandatesReceived.nodes.map((m: { id: string }) => m.id)).toContain(mandateId);
  });

  describe('R16: sub-delegation inside the firm', () => {
    it('is refused above the mandate’s level, beyond its dates, outside the firm, or by anyone but a firm manager', async () => {
      const before = await rowCounts();
      const refused: Array<[Record<string, unknown>, string]> = [
        [{ level: 'TRANSMISSION' }, 'LEVEL_ABOVE_MANDATE'],
        [{ endsOn: addDays(91) }, 'DATES_BEYOND_MANDATE'],
        [{ dossierIds: [TECQ_2024] }, 'DOSSIER_OUTSIDE_MANDATE'],
      ];
      for (const [change, reason] of refused) {
        const response = await run(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000003', level: 'CONSULTATION', ...change } }, headers.julien!);
        expect({ change, code: codeOf(response), reason: response.errors?.[0]?.extensions?.reason }).toEqual({ change, code: 'FORBIDDEN', reason });
      }
      const outsideFirm = await run(DELEGATE, { input: { mandateId, mandataireCode: 'OTH0000001', level: 'CONSULTATION' } }, headers.julien!);
      expect(codeOf(outsideFirm)).toBe('BAD_USER_INPUT');
      const byMandataire = await run(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000003', level: 'CONSULTATION' } }, headers.amelie!);
      expect(codeOf(byMandataire)).toBe('FORBIDDEN');
      const datesOutOfOrder = await run(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000003', level: 'CONSULTATION', startsOn: addDays(10), endsOn: addDays(5) } }, headers.julien!);
      expect(codeOf(datesOutOfOrder)).toBe('BAD_USER_INPUT');
      expect(await rowCounts()).toEqual(before);
    });

    it('passes the mandate on at a lower level, inside its dates; revoking the original revokes it too, on the next request', async () => {
      const delegated = await run(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000003', level: 'CONSULTATION' } }, headers.julien!);
      expect(delegated.errors).toBeUndefined();
      expect(delegated.data.delegateMandate.mandate).toMatchObject({ level: 'CONSULTATION', startsOn: today(), endsOn: addDays(90), parent: { id: mandateId } });
      const delegatedId = delegated.data.delegateMandate.mandate.id as string;
      const noemieSees = await run(`{ dossier(id: "${TECQ_2025}") { viewerPermissions { canEdit } } }`, {}, headers.noemie!);
      expect(noemieSees.data.dossier).toEqual({ viewerPermissions: { canEdit: false } });

      const revoked = await run(REVOKE, { id: mandateId }, headers.isabelle!);
      expect(revoked.data.revokeMandate.mandate).toMatchObject({ id: mandateId, status: 'REVOKED' });
      for (const who of ['amelie', 'noemie']) {
        expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, headers[who]!)).data.dossier).toBeNull();
        const left = (await run('{ dossiers { nodes { id } } }', {}, headers[who]!)).data.dossiers.nodes;
        expect(left).toEqual(who === 'amelie' ? [{ id: SHE_RECIM_2024 }] : []);
      }
      const events = await subgraph.database.orm.em.fork().find(AuditEvent, { targetId: { $in: [mandateId, delegatedId] }, action: { $in: ['MANDATE_DELEGATED', 'MANDATE_REVOKED'] } });
      const actions = events.map((e) => e.action).sort();
      expect(actions).toEqual(['MANDATE_DELEGATED', 'MANDATE_REVOKED', 'MANDATE_REVOKED']);
      expect(codeOf(await run(REVOKE, { id: mandateId }, headers.isabelle!))).toBe('CONFLICT');
    });
  });

  it('R16: a mandate works only inside its dates and ends by itself when its dossier is closed', async () => {
    const em = subgraph.database.orm.em.fork();
    const future = await run(GRANT, { input: grantInput({ mandataireCode: 'GCE0000003', startsOn: addDays(3) }) }, headers.isabelle!);
    expect(future.data.grantMandate.mandate.status).toBe('SCHEDULED');
    expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, headers.noemie!)).data.dossier).toBeNull();
    // In force until tomorrow, in Québec.
    const current = await run(GRANT, { input: grantInput({ mandataireCode: 'GCE0000003', level: 'CONSULTATION', endsOn: addDays(1) }) }, headers.isabelle!);
    expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, headers.noemie!)).data.dossier).toEqual({ id: TECQ_2025 });
    // Two days later its end date has passed: it ends by itself, no job needed. The subgraph's
    // clock moves (tokens are dated on it), nothing waits.
    clock.advance(2 * DAY_MS);
    try {
      const later = { noemie: await mint(NOEMIE, FIRM), isabelle: await mint(ISABELLE, MAGOG, [IdentityRole.Rse]) };
      expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, later.noemie)).data.dossier).toBeNull();
      expect((await run(`{ mandate(id: "${current.data.grantMandate.mandate.id}") { status } }`, {}, later.isabelle)).data.mandate).toEqual({ status: 'EXPIRED' });
    } finally {
      clock.advance(-2 * DAY_MS);
    }
    // Back to today: in force again. Closing its dossier ends it.
    expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, headers.noemie!)).data.dossier).toEqual({ id: TECQ_2025 });
    await em.getConnection().execute(`update dossier set status = 'ACCEPTED' where id = ?`, [TECQ_2025]);
    try {
      expect((await run(`{ dossier(id: "${TECQ_2025}") { id } }`, {}, headers.noemie!)).data.dossier).toBeNull();
      expect((await run(`{ mandate(id: "${current.data.grantMandate.mandate.id}") { status } }`, {}, headers.isabelle!)).data.mandate).toEqual({ status: 'ENDED' });
      const onClosed = await run(GRANT, { input: grantInput() }, headers.isabelle!);
      expect(codeOf(onClosed)).toBe('CONFLICT');
    } finally {
      await em.getConnection().execute(`update dossier set status = 'DRAFT' where id = ?`, [TECQ_2025]);
    }
  });

  it('only the managers of the organization for the service give mandates; bad input is refused and nothing is written', async () => {
    const before = await rowCounts();
    expect(codeOf(await run(GRANT, { input: grantInput() }, headers.marc!))).toBe('FORBIDDEN');
    expect(codeOf(await run(GRANT, { input: grantInput() }, headers.julien!))).toBe('FORBIDDEN');
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ endsOn: addDays(-1), startsOn: today() }, 'input.endsOn'],
      [{ startsOn: addDays(-2) }, 'input.startsOn'],
      // A day that does not exist: refused by the Date scalar (the kit's input layer), the field named.
      [{ startsOn: '2026-13-01' }, 'input.startsOn'],
      [{ mandataireCode: 'MAG0000002' }, 'input.mandataireCode'],
      [{ mandataireCode: 'INCONNU' }, 'input.mandataireCode'],
      [{ dossierIds: [] }, 'input.dossierIds'],
      [{ dossierIds: [stableId('dossier', 'SHE-RECIM-2024')] }, 'input.dossierIds'],
      [{ dossierIds: ['pas-un-id'] }, 'input.dossierIds'],
    ];
    for (const [change, field] of cases) {
      const response = await run(GRANT, { input: grantInput(change) }, headers.isabelle!);
      expect({ change, code: codeOf(response), field: response.errors?.[0]?.extensions?.field }).toEqual({ change, code: 'BAD_USER_INPUT', field });
    }
    expect(codeOf(await run(REVOKE, { id: stableId('mandate', 'nope') }, headers.isabelle!))).toBe('NOT_FOUND');
    expect(codeOf(await run(REVOKE, { id: stableId('mandate', 'SHE-RECIM-GCE2') }, headers.isabelle!))).toBe('NOT_FOUND');
    expect(await rowCounts()).toEqual(before);
  });
});

describe('Dossier.activeMandates: the mandates in force on a dossier, for whom (R15, R16, R20)', () => {
  const ACTIVE = 'query($id: ID!) { dossier(id: $id) { id activeMandates { nodes { id level status mandataireName startsOn endsOn mandataire { id } firm { id } } } } }';
  const JULIEN_ON_2024 = stableId('mandate', 'MAG-TECQ-GCE1');
  const STAFF = stableId('user', 'MAM0000002');
  const ids: Record<'amelie' | 'olivier' | 'expired' | 'scheduled', string> = { amelie: '', olivier: '', expired: '', scheduled: '' };
  /** The ids of the mandates `who` is shown on TECQ_2024, or null when the dossier itself is hidden. */
  const shownTo = async (who: string): Promise<string[] | null> => {
    const response = await run<{ dossier: { activeMandates: { nodes: Array<{ id: string }> } } | null }>(ACTIVE, { id: TECQ_2024 }, headers[who]!);
    expect(response.errors).toBeUndefined();
    const dossier = response.data!.dossier;
    return dossier ? dossier.activeMandates.nodes.map((mandate) => mandate.id) : null;
  };
  const grant = async (overrides: Record<string, unknown>) => {
    const granted = await run(GRANT, { input: grantInput({ dossierIds: [TECQ_2024], ...overrides }) }, headers.isabelle!);
    expect(granted.errors).toBeUndefined();
    return granted.data.grantMandate.mandate.id as string;
  };

  beforeAll(async () => {
    issuer.administer(STAFF, TECQ);
    headers.staff = { authorization: `Bearer ${await issuer.mint({ userId: STAFF, organizationId: stableId('organization', 'MIN-MAMH'), roles: [IdentityRole.MinistryStaff], direction: 'DGI' })}` };
    headers.olivier = { authorization: `Bearer ${await issuer.mint({ userId: OUTSIDER, organizationId: OTHER_FIRM })}` };
    // On Magog's TECQ 2024 dossier, besides Julien's demo mandate: his colleague Amélie, a user of
    // another firm, and two of Noémie's that are not in force (ended yesterday, starts in three days).
    ids.amelie = await grant({ mandataireCode: 'GCE0000002', level: 'PREPARATION' });
    ids.olivier = await grant({ mandataireCode: 'OTH0000001', level: 'CONSULTATION', endsOn: null });
    ids.expired = await grant({ mandataireCode: 'GCE0000003', level: 'CONSULTATION' });
    await subgraph.database.orm.em.fork().getConnection().execute('update mandate set starts_on = ?, ends_on = ? where id = ?', [addDays(-30), addDays(-1), ids.expired]);
    ids.scheduled = await grant({ mandataireCode: 'GCE0000003', level: 'CONSULTATION', startsOn: addDays(3) });
  });

  it("R15, R16: the organization's local manager sees every mandate in force on the dossier, newest first, with the mandataire's name", async () => {
    const response = await run(ACTIVE, { id: TECQ_2024 }, headers.isabelle!);
    expect(response.errors).toBeUndefined();
    expect(response.data.dossier.activeMandates.nodes).toEqual([
      { id: ids.olivier, level: 'CONSULTATION', status: 'ACTIVE', mandataireName: 'Olivier Tremblay', startsOn: today(), endsOn: null, mandataire: { id: OUTSIDER }, firm: { id: OTHER_FIRM } },
      { id: ids.amelie, level: 'PREPARATION', status: 'ACTIVE', mandataireName: 'Amélie Bouchard', startsOn: today(), endsOn: addDays(90), mandataire: { id: AMELIE }, firm: { id: FIRM } },
      { id: JULIEN_ON_2024, level: 'PREPARATION', status: 'ACTIVE', mandataireName: 'Julien Côté', startsOn: '2024-03-15', endsOn: null, mandataire: { id: JULIEN }, firm: { id: FIRM } },
    ]);
  });

  it('pages them in the database, newest first, with exact counts: what each person may see, no more', async () => {
    const PAGE = `query($id: ID!, $after: String) { dossier(id: $id) { activeMandates(first: 2, after: $after) {
      nodes { id } edges { cursor } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } } }`;
    const first = (await run(PAGE, { id: TECQ_2024 }, headers.isabelle!)).data.dossier.activeMandates;
    expect(first).toMatchObject({ nodes: [{ id: ids.olivier }, { id: ids.amelie }], totalCount: 3, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    expect(first.pageInfo.endCursor).toBe(first.edges[1].cursor);
    const second = (await run(PAGE, { id: TECQ_2024, after: first.pageInfo.endCursor }, headers.isabelle!)).data.dossier.activeMandates;
    expect(second).toMatchObject({ nodes: [{ id: JULIEN_ON_2024 }], totalCount: 3, pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    // A mandataire's count is of their own mandates only: the others' existence is not told.
    expect((await run(PAGE, { id: TECQ_2024 }, headers.amelie!)).data.dossier.activeMandates).toMatchObject({ nodes: [{ id: ids.amelie }], totalCount: 1 });
    for (const bad of [{ first: 0 }, { first: 101 }, { after: 'pas-un-curseur' }]) {
      const response = await run('query($id: ID!, $first: Int, $after: String) { dossier(id: $id) { activeMandates(first: $first, after: $after) { totalCount } } }', { id: TECQ_2024, ...bad }, headers.isabelle!);
      expect({ bad, code: codeOf(response) }).toEqual({ bad, code: 'BAD_USER_INPUT' });
    }
  });

  it('R16: a mandate whose end date has passed (in Québec) is not in force, nor one that has not started', async () => {
    const status = async (id: string) =>
      (await run<{ mandate: { status: string } }>(`{ mandate(id: "${id}") { status } }`, {}, headers.isabelle!)).data!.mandate.status;
    expect([await status(ids.expired), await status(ids.scheduled)]).toEqual(['EXPIRED', 'SCHEDULED']);
    for (const who of ['isabelle', 'staff']) {
      const shown = await shownTo(who);
      expect(shown).not.toContain(ids.expired);
      expect(shown).not.toContain(ids.scheduled);
    }
    // Noémie holds no mandate in force on it: the dossier itself stays hidden from her.
    expect(await shownTo('noemie')).toBeNull();
  });

  it("R15, R20: a mandataire sees only their own mandate on the dossier, never a colleague's or another firm's", async () => {
    expect(await shownTo('olivier')).toEqual([ids.olivier]);
    expect(await shownTo('amelie')).toEqual([ids.amelie]);
    // Julien may open Amélie's mandate as his firm's RSÉ (R16), but on the organization's dossier
    // the other mandates are the organization's data: he is shown his own only.
    expect((await run(`{ mandate(id: "${ids.amelie}") { id } }`, {}, headers.julien!)).data.mandate).toEqual({ id: ids.amelie });
    expect(await shownTo('julien')).toEqual([JULIEN_ON_2024]);
  });

  it("R17: the owner's staff see every mandate in force on the program's dossier", async () => {
    expect(await shownTo('staff')).toEqual([ids.olivier, ids.amelie, JULIEN_ON_2024]);
  });

  it('R20: a user of the organization who may not open its mandates (canSeeMandate) reads the dossier but none of them; an outsider not even the dossier', async () => {
    expect((await run(`{ mandate(id: "${JULIEN_ON_2024}") { id } }`, {}, headers.marc!)).data.mandate).toBeNull();
    expect(await shownTo('marc')).toEqual([]);
    expect(await shownTo('sophie')).toBeNull();
  });

  it('R15: a revoked mandate disappears from the dossier on the very next request', async () => {
    expect((await run(REVOKE, { id: ids.amelie }, headers.isabelle!)).data.revokeMandate.mandate.status).toBe('REVOKED');
    expect(await shownTo('isabelle')).toEqual([ids.olivier, JULIEN_ON_2024]);
    expect(await shownTo('staff')).toEqual([ids.olivier, JULIEN_ON_2024]);
    expect(await shownTo('amelie')).toBeNull();
  });
});
