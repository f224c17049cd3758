import { MANDATES_DECISION_PATH, MEMBERS_PATH, stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { signInAll } from './support/session';
import { newUserOf } from './support/new-user';
import { startStack, type Stack } from './support/stack';

// Issue 13, section 2: PERFORM roles, and every other grant, transfer and mandate, stay inside the
// organization or firm their rule allows (R10, R11, R13, R15, R16, R20), through the gateway.

let stack: Stack;
type Headers = Record<string, string>;
type Response = { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const CONSULTING_FIRM = stableId('organization', 'FIRM-GCE');
const PERFORM = stableId('online-service', 'PERFORM');
const TECQ = stableId('online-service', 'TECQ');
const MAGOG_2022 = stableId('financial-report', 'MUN-45072:2022');
const MAGOG_2025 = stableId('financial-report', 'MUN-45072:2025');
const AUDIT_MANDATE = stableId('mandate', 'MAG-PERFORM-VCE1');
const TECQ_MANDATE = stableId('mandate', 'MAG-TECQ-GCE1');
const userId = (code: string) => stableId('user', code);

const PEOPLE = {
  isabelle: 'MAG0000001', // Magog: RSÉ, répondant municipal, transmitter, TECQ local manager
  marc: 'MAG0000002', // Magog: no PERFORM role
  luc: 'MAG0000003', // Magog: signatory
  sophie: 'SHE0000001', // Sherbrooke: RSÉ
  julien: 'GCE0000001', // consulting firm: RSÉ, mandated on a Magog TECQ dossier
  genevieve: 'VCE0000001', // firme de vérificateur: RSÉ, Magog's external auditor under its PERFORM mandate
  dgomr: 'MAM0000001',
  dgi: 'MAM0000002',
  dniff: 'MAM0000003',
  cse: 'CSE0000001',
} as const;
let as: Record<keyof typeof PEOPLE, Headers>;

beforeAll(async () => {
  stack = await startStack();
  as = await signInAll(stack.gatewayUrl, PEOPLE);
});

afterAll(async () => {
  await stack?.close();
});

const gateway = (query: string, variables: Record<string, unknown>, headers: Headers): Promise<Response> =>
  execute<any>(stack.gatewayUrl, query, variables, headers);
const codeOf = (response: Response) => response.errors?.[0]?.extensions?.code;
const quebecToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());


const GRANT = 'mutation($u: ID!, $r: PerformRole!) { grantPerformRole(input: { userId: $u, role: $r }) { accessRight { id role user { id } organization { id } } } }';
const grantRole = (userId: string, role: string, by: Headers = as.isabelle) => gateway(GRANT, { u: userId, r: role }, by);
const REVOKE = 'mutation($r: ID!) { revokeAccessRight(input: { accessRightId: $r }) { accessRight { id role } } }';
const RIGHTS = 'query($s: ID!, $o: ID!) { accessRights(serviceId: $s, organizationId: $o, first: 100) { totalCount nodes { id role user { id } } } }';
const TRAIL = 'query($s: ID!, $o: ID!) { serviceAuditTrail(serviceId: $s, organizationId: $o, first: 100) { totalCount nodes { action targetId before after } } }';
const REPORTS = 'query($o: ID!) { organization(id: $o) { financialReports { nodes { fiscalYear } } } }';

/** The rights of an organization on a service and their trail, as the owner's staff read them. */
async function rightsState(serviceId: string, organizationId: string, owner: Headers) {
  const [rights, trail] = await Promise.all([
    gateway(RIGHTS, { s: serviceId, o: organizationId }, owner),
    gateway(TRAIL, { s: serviceId, o: organizationId }, owner),
  ]);
  expect(rights.errors).toBeUndefined();
  expect(trail.errors).toBeUndefined();
  // Each list's first page (newest entries first for the trail) and its total: a write shows in both.
  expect(rights.data.accessRights.totalCount).toBe(rights.data.accessRights.nodes.length);
  return {
    rights: rights.data.accessRights.nodes,
    trail: trail.data.serviceAuditTrail.nodes,
    trailLength: trail.data.serviceAuditTrail.totalCount,
  };
}

/** A refusal with this code that writes nothing: the rights and the trail stay as they were. */
async function expectRefused(code: string, state: () => Promise<unknown>, step: () => Promise<Response>): Promise<Response> {
  const before = await state();
  const response = await step();
  expect(codeOf(response)).toBe(code);
  expect(await state()).toEqual(before);
  return response;
}

const magogPerform = () => rightsState(PERFORM, MAGOG, as.dniff);
const rightsOf = async (id: string) =>
  ((await gateway(RIGHTS, { s: PERFORM, o: MAGOG }, as.dniff)).data.accessRights.nodes as Array<{ id: string; role: string; user: { id: string } }>).filter(
    (right) => right.user.id === id,
  );

describe('R13, R20: PERFORM roles stay inside the organization', () => {
  it("R13: the répondant gives a PERFORM role to a user of Magog, audited, and it opens Magog's reports", async () => {
    const before = await magogPerform();
    const granted = await grantRole(userId(PEOPLE.marc), 'PERFORM_REVIEWER');
    expect(granted.errors).toBeUndefined();
    const right = granted.data.grantPerformRole.accessRight;
    expect(right).toMatchObject({ role: 'PERFORM_REVIEWER', user: { id: userId(PEOPLE.marc) }, organization: { id: MAGOG } });
    const after = await magogPerform();
    expect(after.rights).toHaveLength(before.rights.length + 1);
    expect(after.trailLength).toBe(before.trailLength + 1);
    expect(after.trail[0]).toMatchObject({ action: 'PERFORM_ROLE_GRANTED', targetId: right.id, before: null, after: { role: 'PERFORM_REVIEWER', revokedAt: null } });
    expect((await gateway(REPORTS, { o: MAGOG }, as.marc)).data.organization.financialReports.nodes).toHaveLength(5);
  });

  it.each([
    ['a Sherbrooke user', PEOPLE.sophie, 'PERFORM_PREPARER'],
    ['a Sherbrooke user, as signatory', PEOPLE.sophie, 'PERFORM_SIGNATORY'],
    ["the firme de vérificateur's user, for a role other than external auditor", PEOPLE.genevieve, 'PERFORM_PREPARER'],
    ['a consulting firm user mandated by Magog on TECQ, as external auditor', PEOPLE.julien, 'PERFORM_EXTERNAL_AUDITOR'],
    ["a user of Magog itself, as external auditor", PEOPLE.marc, 'PERFORM_EXTERNAL_AUDITOR'],
    ['a ministry agent', PEOPLE.dniff, 'PERFORM_REVIEWER'],
  ])('R13, R20: a PERFORM role for %s is refused (FORBIDDEN) and nothing is written', async (_who, code, role) => {
    const refused = await expectRefused('FORBIDDEN', magogPerform, () => grantRole(userId(code), role));
    expect(refused.data).toBeNull();
  });

  it('R13, R20: an unknown user id is refused like a stranger, and nothing is written', async () => {
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(stableId('user', 'NOBODY'), 'PERFORM_PREPARER'));
  });

  it("R13, R20: the Sherbrooke user refused the role still learns nothing of Magog's reports", async () => {
    expect(codeOf(await gateway(REPORTS, { o: MAGOG }, as.sophie))).toBe('FORBIDDEN');
    const create = await gateway('mutation($o: ID!) { createFinancialReport(input: { organizationId: $o, fiscalYear: 2019 }) { report { id } } }', { o: MAGOG }, as.sophie);
    expect(codeOf(create)).toBe('FORBIDDEN');
  });

  it('R13: only the répondant gives PERFORM roles: a reviewer of Magog cannot, nor can the DNIFF', async () => {
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(userId(PEOPLE.luc), 'PERFORM_PREPARER', as.marc));
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(userId(PEOPLE.luc), 'PERFORM_PREPARER', as.dniff));
  });
});

describe("R13, R15, R16: the external auditor comes from a firme de vérificateur holding Magog's PERFORM mandate", () => {
  let mathieu: { id: string; code: string; headers: Headers };
  const DELEGATE = 'mutation($m: ID!, $code: String!) { delegateMandate(input: { mandateId: $m, mandataireCode: $code, level: CONSULTATION }) { mandate { id status dossiers { nodes { id } } parent { id } } } }';
  const GRANT_MANDATE = `mutation($code: String!, $on: Date!) { grantMandate(input: {
    organizationId: "${MAGOG}", serviceId: "${PERFORM}", dossierIds: [], mandataireCode: $code, level: CONSULTATION, startsOn: $on }) {
    mandate { id status dossiers { nodes { id } } firm { name } service { code } } } }`;
  type MandatePage = { totalCount: number; nodes: Array<{ id: string; status: string }> };
  const mandatesOfMagog = async () =>
    (await gateway('query($o: ID!) { organization(id: $o) { mandatesGiven(first: 100) { totalCount nodes { id status } } } }', { o: MAGOG }, as.isabelle)).data
      .organization.mandatesGiven as MandatePage;

  beforeAll(async () => {
    // A colleague of Geneviève at Vérification comptable Estrie, created by her (its RSÉ), without a mandate.
    mathieu = await newUserOf(stack.gatewayUrl, as.genevieve, 'Mathieu');
  });

  /**
   * A new colleague of Geneviève to whom her firm passes Magog's PERFORM mandate on (R16), and
   * whom the répondant names external auditor unless `named` is false: each test has its own.
   */
  async function mandatedColleague(givenName: string, named = true) {
    const person = await newUserOf(stack.gatewayUrl, as.genevieve, givenName);
    const passed = await gateway(DELEGATE, { m: AUDIT_MANDATE, code: person.code }, as.genevieve);
    expect(passed.errors).toBeUndefined();
    if (named) expect((await grantRole(person.id, 'PERFORM_EXTERNAL_AUDITOR')).errors).toBeUndefined();
    return { person, mandateId: passed.data.delegateMandate.mandate.id as string };
  }

  it("R13: the demo auditor holds Magog's PERFORM mandate, on no dossier, shown to Magog's répondant", async () => {
    const mandate = await gateway(`{ mandate(id: "${AUDIT_MANDATE}") { status dossiers { nodes { id } } mandataireName firm { name } service { code } } }`, {}, as.isabelle);
    expect(mandate.data.mandate).toEqual({
      status: 'ACTIVE',
      dossiers: { nodes: [] },
      mandataireName: 'Geneviève Paquette',
      firm: { name: 'Vérification comptable Estrie S.E.N.C.R.L.' },
      service: { code: 'PERFORM' },
    });
    expect((await mandatesOfMagog()).nodes).toContainEqual({ id: AUDIT_MANDATE, status: 'ACTIVE' });
  });

  it("R13: a firme de vérificateur's user without a mandate from Magog cannot be made external auditor", async () => {
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(mathieu.id, 'PERFORM_EXTERNAL_AUDITOR'));
  });

  it('R13: a PERFORM mandate goes only to a firme de vérificateur, on no dossier; nothing is written otherwise', async () => {
    const before = await mandatesOfMagog();
    const toConsultingFirm = await gateway(GRANT_MANDATE, { code: PEOPLE.julien, on: quebecToday() }, as.isabelle);
    expect(codeOf(toConsultingFirm)).toBe('BAD_USER_INPUT');
    expect(toConsultingFirm.errors?.[0]?.extensions?.field).toBe('mandataireCode');
    const onDossier = await gateway(
      `mutation($code: String!, $on: Date!) { grantMandate(input: { organizationId: "${MAGOG}", serviceId: "${PERFORM}",
        dossierIds: ["${stableId('dossier', 'MAG-TECQ-2024')}"], mandataireCode: $code, level: CONSULTATION, startsOn: $on }) { mandate { id } } }`,
      { code: mathieu.code, on: quebecToday() },
      as.isabelle,
    );
    expect(codeOf(onDossier)).toBe('BAD_USER_INPUT');
    // Only Magog's répondant (or PERFORM managers) mandates on Magog's PERFORM: not another of its users.
    expect(codeOf(await gateway(GRANT_MANDATE, { code: mathieu.code, on: quebecToday() }, as.marc))).toBe('FORBIDDEN');
    expect(await mandatesOfMagog()).toEqual(before);
  });

  it('R16: the firm passes its PERFORM mandate on to a colleague, not to another firm; the répondant then names the colleague external auditor', async () => {
    const before = await mandatesOfMagog();
    const outside = await gateway(DELEGATE, { m: AUDIT_MANDATE, code: PEOPLE.julien }, as.genevieve);
    expect(codeOf(outside)).toBe('BAD_USER_INPUT');
    expect(await mandatesOfMagog()).toEqual(before);

    const marie = await newUserOf(stack.gatewayUrl, as.genevieve, 'Marie');
    const passed = await gateway(DELEGATE, { m: AUDIT_MANDATE, code: marie.code }, as.genevieve);
    expect(passed.errors).toBeUndefined();
    expect(passed.data.delegateMandate.mandate).toMatchObject({ status: 'ACTIVE', dossiers: { nodes: [] }, parent: { id: AUDIT_MANDATE } });

    const granted = await grantRole(marie.id, 'PERFORM_EXTERNAL_AUDITOR');
    expect(granted.errors).toBeUndefined();
    expect(granted.data.grantPerformRole.accessRight).toMatchObject({ role: 'PERFORM_EXTERNAL_AUDITOR', user: { id: marie.id }, organization: { id: MAGOG } });
    expect((await gateway(REPORTS, { o: MAGOG }, marie.headers)).data.organization.financialReports.nodes).toHaveLength(5);
    // R13: one person is never both external auditor and signatory; a firm's user is not Magog's signatory anyway.
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(marie.id, 'PERFORM_SIGNATORY'));
  });

  it('R13, R21: the répondant takes the role back; it is audited and the auditor is refused on the next request', async () => {
    const { person: maxime } = await mandatedColleague('Maxime');
    const [right] = (await rightsOf(maxime.id)).filter((r) => r.role === 'PERFORM_EXTERNAL_AUDITOR');
    // R13: the répondant lists Magog's PERFORM rights, as the organization's managers list theirs.
    const listed = await gateway(RIGHTS, { s: PERFORM, o: MAGOG }, as.isabelle);
    expect(listed.data.accessRights.nodes).toContainEqual({ id: right!.id, role: 'PERFORM_EXTERNAL_AUDITOR', user: { id: maxime.id } });
    // Identity does not show a firm's user to Magog's répondant: that holder is null, never the right nor the list.
    const named = await gateway(
      'query($s: ID!, $o: ID!) { accessRights(serviceId: $s, organizationId: $o, first: 100) { nodes { id role user { givenName } } } }',
      { s: PERFORM, o: MAGOG },
      as.isabelle,
    );
    expect(named.data.accessRights.nodes).toContainEqual({ id: right!.id, role: 'PERFORM_EXTERNAL_AUDITOR', user: null });
    expect(named.data.accessRights.nodes).toContainEqual(expect.objectContaining({ role: 'MUNICIPAL_RESPONDENT', user: { givenName: 'Isabelle' } }));
    // Nobody else of Magog takes it back, not even its TECQ local manager's colleague.
    await expectRefused('FORBIDDEN', magogPerform, () => gateway(REVOKE, { r: right!.id }, as.marc));

    const revoked = await gateway(REVOKE, { r: right!.id }, as.isabelle);
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data.revokeAccessRight).toEqual({ accessRight: { id: right!.id, role: 'PERFORM_EXTERNAL_AUDITOR' } });
    expect(await rightsOf(maxime.id)).toEqual([]);
    // R21: the répondant reads the entry, before and after.
    const trail = await gateway(TRAIL, { s: PERFORM, o: MAGOG }, as.isabelle);
    expect(trail.errors).toBeUndefined();
    const entry = trail.data.serviceAuditTrail.nodes[0];
    expect(entry).toMatchObject({ action: 'ACCESS_RIGHT_REVOKED', targetId: right!.id });
    expect(entry.before).toMatchObject({ role: 'PERFORM_EXTERNAL_AUDITOR', revokedAt: null });
    expect(entry.after.revokedAt).toEqual(expect.any(String));
    expect(codeOf(await gateway(REPORTS, { o: MAGOG }, maxime.headers))).toBe('FORBIDDEN');
    // The répondant does not take back what the DNIFF gives: their own role of répondant.
    const [respondent] = (await rightsOf(userId(PEOPLE.isabelle))).filter((r) => r.role === 'MUNICIPAL_RESPONDENT');
    await expectRefused('FORBIDDEN', magogPerform, () => gateway(REVOKE, { r: respondent!.id }, as.isabelle));
  });

  it('R13, R15: once the mandate is revoked, the same person cannot be named external auditor again; a new mandate from the répondant allows it', async () => {
    const { person: noah, mandateId: delegated } = await mandatedColleague('Noah', false);
    expect((await gateway('mutation($m: ID!) { revokeMandate(input: { mandateId: $m }) { mandate { status } } }', { m: delegated }, as.isabelle)).data.revokeMandate).toEqual({
      mandate: { status: 'REVOKED' },
    });
    await expectRefused('FORBIDDEN', magogPerform, () => grantRole(noah.id, 'PERFORM_EXTERNAL_AUDITOR'));

    const mandate = await gateway(GRANT_MANDATE, { code: noah.code, on: quebecToday() }, as.isabelle);
    expect(mandate.errors).toBeUndefined();
    expect(mandate.data.grantMandate.mandate).toMatchObject({
      status: 'ACTIVE',
      dossiers: { nodes: [] },
      firm: { name: 'Vérification comptable Estrie S.E.N.C.R.L.' },
      service: { code: 'PERFORM' },
    });
    expect((await grantRole(noah.id, 'PERFORM_EXTERNAL_AUDITOR')).data.grantPerformRole.accessRight.role).toBe('PERFORM_EXTERNAL_AUDITOR');
  });

  it("R13: the external auditor reads the audited pages only, not the other unaudited information nor the forecast data", async () => {
    const READ = `query($id: ID!) { financialReport(id: $id) { fiscalYear missingFigures
      auditedFinancialReport { taxRevenue } otherFinancialInformation { population } forecastData { budgetedRevenue }
      versions { nodes { version auditedFinancialReport { taxRevenue } otherFinancialInformation { population } forecastData { budgetedRevenue } } } } }`;
    const AMOUNT = expect.stringMatching(/^\d+\.\d{2}$/);
    const auditor = await gateway(READ, { id: MAGOG_2022 }, as.genevieve);
    expect(auditor.errors).toBeUndefined();
    const report = auditor.data.financialReport;
    expect(report.auditedFinancialReport.taxRevenue).toEqual(AMOUNT);
    expect(report).toMatchObject({ otherFinancialInformation: null, forecastData: null });
    expect(report.versions.nodes).toHaveLength(2);
    for (const version of report.versions.nodes) {
      expect(version.auditedFinancialReport.taxRevenue).toEqual(AMOUNT);
      expect(version).toMatchObject({ otherFinancialInformation: null, forecastData: null });
    }
    // The organization's own PERFORM people see every part.
    const signatory = (await gateway(READ, { id: MAGOG_2022 }, as.luc)).data.financialReport;
    expect(signatory.otherFinancialInformation.population).toEqual(expect.any(Number));
    expect(signatory.forecastData.budgetedRevenue).toEqual(AMOUNT);
    expect(signatory.versions.nodes[0].forecastData.budgetedRevenue).toEqual(AMOUNT);

    // A draft's missing figures: the audited pages' only, for the auditor.
    const draftForAuditor = (await gateway(READ, { id: MAGOG_2025 }, as.genevieve)).data.financialReport.missingFigures as string[];
    const draftForSignatory = (await gateway(READ, { id: MAGOG_2025 }, as.luc)).data.financialReport.missingFigures as string[];
    expect(draftForAuditor.length).toBeGreaterThan(0);
    expect(draftForAuditor.every((figure) => figure.startsWith('auditedFinancialReport.'))).toBe(true);
    expect(draftForSignatory).toEqual(expect.arrayContaining([...draftForAuditor, 'forecastData.budgetedRevenue', 'otherFinancialInformation.population']));

    // The Sommaire: the audited totals, not the population (unaudited information).
    const SUMMARY = 'query($o: ID!) { organization(id: $o) { financialSummary { nodes { fiscalYear totalRevenue population } } } }';
    const summary = (await gateway(SUMMARY, { o: MAGOG }, as.genevieve)).data.organization.financialSummary.nodes;
    const year2021 = summary.find((row: { fiscalYear: number }) => row.fiscalYear === 2021);
    expect(year2021).toEqual({ fiscalYear: 2021, totalRevenue: AMOUNT, population: null });
    const ownSummary = (await gateway(SUMMARY, { o: MAGOG }, as.luc)).data.organization.financialSummary.nodes;
    expect(ownSummary.find((row: { fiscalYear: number }) => row.fiscalYear === 2021).population).toEqual(expect.any(Number));
  });

  it('R13, R20: a PERFORM right outside the organization, written before the rule, opens nothing, and its répondant can remove it', async () => {
    // As the hole let it be written: Sophie of Sherbrooke, preparer of Magog's reports.
    const legacyId = stableId('access-right', 'legacy:SHE0000001:MUN-45072:PERFORM:PERFORM_PREPARER');
    await stack.subgraphs.services.database.orm.em.getConnection().execute(
      `insert into access_right (id, user_id, organization_id, service_id, role, valid_from, granted_by, granted_at)
       values (?, ?, ?, ?, 'PERFORM_PREPARER', now() - interval '1 day', ?, now() - interval '1 day')`,
      [legacyId, userId(PEOPLE.sophie), MAGOG, PERFORM, userId(PEOPLE.isabelle)],
    );
    expect(codeOf(await gateway(REPORTS, { o: MAGOG }, as.sophie))).toBe('FORBIDDEN');
    const update = await gateway(
      'mutation($id: ID!) { updateFinancialReport(input: { reportId: $id, forecastData: { budgetedRevenue: "1.00" } }) { report { id } } }',
      { id: MAGOG_2025 },
      as.sophie,
    );
    expect(codeOf(update)).toBe('NOT_FOUND');
    const mine = await gateway('{ me { onlineServices { services { service { code } organization { id } roles } } } }', {}, as.sophie);
    expect(JSON.stringify(mine.data.me.onlineServices)).not.toContain(MAGOG);
    expect((await gateway(REVOKE, { r: legacyId }, as.isabelle)).data.revokeAccessRight).toEqual({ accessRight: { id: legacyId, role: 'PERFORM_PREPARER' } });
  });
});

describe('R13, R20: DNIFF names a répondant municipal only among the body’s own active users', () => {
  const NAME =
    'mutation($o: ID!, $u: ID!) { nameMunicipalRespondent(input: { organizationId: $o, userId: $u }) { accessRight { role user { id } organization { id } } } }';
  const sherbrookePerform = () => rightsState(PERFORM, SHERBROOKE, as.dniff);

  it.each([
    ['a user of another municipality', SHERBROOKE, PEOPLE.isabelle],
    ['a firm user', SHERBROOKE, PEOPLE.julien],
    ['an unknown user', SHERBROOKE, 'NOBODY'],
  ])('R13, R20: naming %s is refused and nothing is written', async (_who, organizationId, code) => {
    await expectRefused('FORBIDDEN', sherbrookePerform, () => gateway(NAME, { o: organizationId, u: userId(code) }, as.dniff));
  });

  it('R13: a firm is no municipal body: it has no répondant, even one of its own users', async () => {
    await expectRefused('FORBIDDEN', () => rightsState(PERFORM, CONSULTING_FIRM, as.dniff), () =>
      gateway(NAME, { o: CONSULTING_FIRM, u: userId(PEOPLE.julien) }, as.dniff),
    );
  });

  it("R13: DNIFF names Sherbrooke's own user, audited", async () => {
    const named = await gateway(NAME, { o: SHERBROOKE, u: userId(PEOPLE.sophie) }, as.dniff);
    expect(named.errors).toBeUndefined();
    expect(named.data.nameMunicipalRespondent).toEqual({
      accessRight: { role: 'MUNICIPAL_RESPONDENT', user: { id: userId(PEOPLE.sophie) }, organization: { id: SHERBROOKE } },
    });
    expect((await sherbrookePerform()).trail[0]).toMatchObject({ action: 'MUNICIPAL_RESPONDENT_NAMED' });
  });
});

describe('R8, R10, R11, R20: managers, deputies and requests stay inside the organization', () => {
  const magogTecq = () => rightsState(TECQ, MAGOG, as.dgi);
  const inAnHour = () => ({ f: new Date(Date.now() - 60_000).toISOString(), t: new Date(Date.now() + 3_600_000).toISOString() });
  const NAME_DEPUTY =
    'mutation($s: ID!, $u: ID!, $f: DateTime!, $t: DateTime!) { nameDeputy(input: { serviceId: $s, userId: $u, from: $f, until: $t }) { accessRight { id role } } }';
  const TRANSFER =
    'mutation($s: ID!, $o: ID!, $u: ID!) { transferManagerRole(input: { serviceId: $s, organizationId: $o, role: LOCAL_MANAGER, newUserId: $u }) { accessRight { id } } }';

  it('R10, R20: the local manager cannot name a deputy from another organization or firm', async () => {
    for (const code of [PEOPLE.sophie, PEOPLE.julien]) {
      await expectRefused('FORBIDDEN', magogTecq, () => gateway(NAME_DEPUTY, { s: TECQ, u: userId(code), ...inAnHour() }, as.isabelle));
    }
  });

  it('R11, R20: the owner direction cannot transfer a local manager role to someone outside the organization', async () => {
    for (const code of [PEOPLE.sophie, PEOPLE.julien]) {
      await expectRefused('FORBIDDEN', magogTecq, () => gateway(TRANSFER, { s: TECQ, o: MAGOG, u: userId(code) }, as.dgi));
    }
  });

  it('R8, R20: a request is not granted once its requester has been suspended; it can still be refused', async () => {
    const nadia = await newUserOf(stack.gatewayUrl, as.isabelle, 'Nadia');
    const asked = (await gateway('mutation($s: ID!) { requestAccess(input: { serviceId: $s }) { accessRequest { id kind } } }', { s: TECQ }, nadia.headers)).data
      .requestAccess.accessRequest;
    expect(asked.kind).toBe('ACCESS');
    const suspended = await gateway('mutation($u: ID!) { suspendUser(input: { userId: $u, reason: "Départ" }) { user { status } } }', { u: nadia.id }, as.isabelle);
    expect(suspended.data.suspendUser).toEqual({ user: { status: 'SUSPENDED' } });
    const DECIDE =
      'mutation($r: ID!, $d: AccessDecision!, $why: String) { decideAccessRequest(input: { accessRequestId: $r, decision: $d, reason: $why }) { accessRequest { status } } }';
    await expectRefused('FORBIDDEN', magogTecq, () => gateway(DECIDE, { r: asked.id, d: 'GRANT' }, as.isabelle));
    // Another organization's manager learns nothing either.
    expect(codeOf(await gateway(DECIDE, { r: asked.id, d: 'GRANT' }, as.sophie))).toBe('FORBIDDEN');
    expect((await gateway(DECIDE, { r: asked.id, d: 'REFUSE', why: 'Utilisateur suspendu.' }, as.isabelle)).data.decideAccessRequest).toEqual({
      accessRequest: { status: 'REFUSED' },
    });
  });
});

describe('R15, R16, R20: mandates go to firms, and are passed on inside the firm only', () => {
  const given = async () =>
    (await gateway('query($o: ID!) { organization(id: $o) { mandatesGiven(first: 100) { totalCount } } }', { o: MAGOG }, as.isabelle)).data.organization
      .mandatesGiven as { totalCount: number };

  it('R15, R20: a mandate on a Magog TECQ dossier to a municipal user or a ministry agent is refused, and nothing is written', async () => {
    const before = await given();
    for (const code of [PEOPLE.sophie, PEOPLE.marc, PEOPLE.dgi]) {
      const refused = await gateway(
        `mutation($code: String!, $on: Date!) { grantMandate(input: { organizationId: "${MAGOG}", serviceId: "${TECQ}",
          dossierIds: ["${stableId('dossier', 'MAG-TECQ-2025')}"], mandataireCode: $code, level: CONSULTATION, startsOn: $on }) { mandate { id } } }`,
        { code, on: quebecToday() },
        as.isabelle,
      );
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    }
    expect(await given()).toEqual(before);
  });

  it('R16, R20: the consulting firm cannot pass its Magog mandate on to a user of another firm or of Magog', async () => {
    const before = await given();
    for (const code of [PEOPLE.genevieve, PEOPLE.marc]) {
      const refused = await gateway(
        'mutation($m: ID!, $code: String!) { delegateMandate(input: { mandateId: $m, mandataireCode: $code, level: CONSULTATION }) { mandate { id } } }',
        { m: TECQ_MANDATE, code },
        as.julien,
      );
      expect(codeOf(refused)).toBe('BAD_USER_INPUT');
    }
    expect(await given()).toEqual(before);
  });
});

describe('R2, R4, R20: identity’s user operations stay inside the organization', () => {
  /** An organization's whole trail as the DGOMR reads it: its size and its last 100 entries. */
  const trailOf = async (organizationId: string) =>
    (await gateway('query($o: ID!) { auditTrail(organizationId: $o, first: 100) { totalCount nodes { id } } }', { o: organizationId }, as.dgomr)).data
      .auditTrail as { totalCount: number; nodes: Array<{ id: string }> };
  const sherbrookeTrail = () => trailOf(SHERBROOKE);

  it.each([
    ['updateUserProfile', 'mutation($u: ID!) { updateUserProfile(input: { userId: $u, givenName: "X", familyName: "Y", email: "x@y.ca" }) { user { id } } }'],
    ['resetTemporaryPassword', 'mutation($u: ID!) { resetTemporaryPassword(input: { userId: $u }) { temporaryPassword } }'],
    ['suspendUser', 'mutation($u: ID!) { suspendUser(input: { userId: $u, reason: "Essai" }) { user { id } } }'],
    ['reactivateUser', 'mutation($u: ID!) { reactivateUser(input: { userId: $u }) { user { id } } }'],
  ])("R2, R20: Magog's RSÉ cannot %s a Sherbrooke user, and nothing is written", async (_operation, mutation) => {
    const before = await sherbrookeTrail();
    expect(codeOf(await gateway(mutation, { u: userId(PEOPLE.sophie) }, as.isabelle))).toBe('FORBIDDEN');
    expect(await sherbrookeTrail()).toEqual(before);
  });

  it("R4, R20: the CSE cannot name another organization's user RSÉ of Lévis, and nothing is written", async () => {
    const LEVIS = stableId('organization', 'MUN-25213');
    const trail = () => trailOf(LEVIS);
    const before = await trail();
    const named = await gateway(
      `mutation($u: ID!) { nameRse(input: { organizationId: "${LEVIS}", requesterGivenName: "Gilles", requesterFamilyName: "Fortin",
        requesterRole: MAYOR, existingUserId: $u }) { user { id } } }`,
      { u: userId(PEOPLE.marc) },
      as.cse,
    );
    expect(codeOf(named)).toBe('NOT_FOUND');
    expect(await trail()).toEqual(before);
  });
});

describe('R20: the directory and the mandates decision point answer only what the caller may know', () => {
  const ask = async (url: string, headers: Headers) => {
    const response = await fetch(url, { headers });
    return { status: response.status, body: response.status === 200 ? await response.json() : null };
  };
  const member = (code: string, headers: Headers) => ask(`${stack.subgraphs.identity.origin}${MEMBERS_PATH}/${userId(code)}`, headers);
  const mandateOf = (code: string, headers: Headers) =>
    ask(`${stack.subgraphs.mandates.origin}${MANDATES_DECISION_PATH}?${new URLSearchParams({ organizationId: MAGOG, serviceId: PERFORM, mandataireId: userId(code) }).toString()}`, headers);

  it("R20: identity tells a user's organization to its colleagues, about firms' users, and to ministry staff; nobody else", async () => {
    expect(await member(PEOPLE.marc, as.isabelle)).toEqual({ status: 200, body: { userId: userId(PEOPLE.marc), organizationId: MAGOG, organizationKind: 'LOCAL_MUNICIPALITY' } });
    expect((await member(PEOPLE.genevieve, as.sophie)).body).toMatchObject({ organizationKind: 'AUDITING_FIRM' });
    expect((await member(PEOPLE.sophie, as.dniff)).body).toMatchObject({ organizationId: SHERBROOKE });
    expect(await member(PEOPLE.marc, as.sophie)).toEqual({ status: 404, body: null });
    expect((await member(PEOPLE.marc, {})).status).toBe(401);
  });

  it("R13, R20: mandates tells Magog's users and the mandataire about a mandate from Magog; another organization gets 403", async () => {
    expect(await mandateOf(PEOPLE.genevieve, as.isabelle)).toEqual({
      status: 200,
      body: { inForce: true, firmOrganizationId: stableId('organization', 'FIRM-VCE') },
    });
    expect((await mandateOf(PEOPLE.genevieve, as.genevieve)).body).toMatchObject({ inForce: true });
    expect((await mandateOf(PEOPLE.julien, as.isabelle)).body).toEqual({ inForce: false });
    expect((await mandateOf(PEOPLE.genevieve, as.sophie)).status).toBe(403);
  });
});

describe('An outage is not a refusal', () => {
  it('R13: with the mandates subgraph down, naming an external auditor is SERVICE_UNAVAILABLE (retryable), and nothing is written', async () => {
    const mathilde = await newUserOf(stack.gatewayUrl, as.genevieve, 'Mathilde');
    const before = await magogPerform();
    await stack.stopSubgraph('mandates');
    try {
      const response = await grantRole(mathilde.id, 'PERFORM_EXTERNAL_AUDITOR');
      expect(codeOf(response)).toBe('SERVICE_UNAVAILABLE');
      expect(await magogPerform()).toEqual(before);
    } finally {
      await stack.restartSubgraph('mandates');
    }
  });
});
