import { AuditEvent, IdentityRole, stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { wrap } from '@mikro-orm/core';
import { DisclosureEvent } from '../src/disclosure/disclosure-event.entity';
import { FinancialReport, FinancialReportVersion } from '../src/report/financial-report.entity';
import { seedMandatesDemoData } from '../src/seed/demo-data';
import { mandatesSubgraph } from '../src/server';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
type Headers = Record<string, string>;

const PERFORM = stableId('online-service', 'PERFORM');
const MAGOG = stableId('organization', 'MUN-45072');
const QUEBEC = stableId('organization', 'MUN-23027');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const AUDIT_FIRM = stableId('organization', 'FIRM-VCE');
const MINISTRY = stableId('organization', 'MIN-MAMH');

/** Québec city's PERFORM people (stand-in rights), its external auditor from a firm, and people with no say. */
const people: Record<string, { userId: string; organizationId: string; roles: string[]; staff?: string }> = {
  preparer: { userId: stableId('user', 'TEST-QC-PREP'), organizationId: QUEBEC, roles: ['PERFORM_PREPARER'] },
  reviewer: { userId: stableId('user', 'TEST-QC-REV'), organizationId: QUEBEC, roles: ['PERFORM_REVIEWER'] },
  auditor: { userId: stableId('user', 'TEST-VCE-AUD'), organizationId: AUDIT_FIRM, roles: ['PERFORM_EXTERNAL_AUDITOR'] },
  signatory: { userId: stableId('user', 'TEST-QC-SIGN'), organizationId: QUEBEC, roles: ['PERFORM_SIGNATORY'] },
  transmitter: { userId: stableId('user', 'TEST-QC-TRANS'), organizationId: QUEBEC, roles: ['PERFORM_TRANSMITTER'] },
  respondent: { userId: stableId('user', 'TEST-QC-RESP'), organizationId: QUEBEC, roles: ['MUNICIPAL_RESPONDENT'] },
  // A Québec user holding TECQ only: PERFORM roles, not membership, open the reports (R13, R14).
  member: { userId: stableId('user', 'TEST-QC-USER'), organizationId: QUEBEC, roles: [] },
  outsider: { userId: stableId('user', 'SHE0000001'), organizationId: SHERBROOKE, roles: [] },
  dniff: { userId: stableId('user', 'MAM0000003'), organizationId: MINISTRY, roles: [], staff: 'DNIFF' },
  dgi: { userId: stableId('user', 'MAM0000002'), organizationId: MINISTRY, roles: [], staff: 'DGI' },
};
const as: Record<string, Headers> = {};

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl });
  issuer.administer(people.dniff!.userId, PERFORM);
  issuer.administer(people.dgi!.userId, stableId('online-service', 'TECQ'));
  issuer.grant(people.member!.userId, { serviceId: stableId('online-service', 'TECQ'), organizationId: QUEBEC, role: 'USER' });
  for (const [name, person] of Object.entries(people)) {
    for (const role of person.roles) issuer.grant(person.userId, { serviceId: PERFORM, organizationId: QUEBEC, role });
    as[name] = await headersOf(person);
  }
  // Magog's people, as identity and services seed them.
  issuer.grant(stableId('user', 'VCE0000001'), { serviceId: PERFORM, organizationId: MAGOG, role: 'PERFORM_EXTERNAL_AUDITOR' });
  issuer.grant(stableId('user', 'MAG0000003'), { serviceId: PERFORM, organizationId: MAGOG, role: 'PERFORM_SIGNATORY' });
  as.magogAuditor = await headersOf({ userId: stableId('user', 'VCE0000001'), organizationId: AUDIT_FIRM });
  as.magogSignatory = await headersOf({ userId: stableId('user', 'MAG0000003'), organizationId: MAGOG });
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

async function headersOf(person: { userId: string; organizationId: string; staff?: string }): Promise<Headers> {
  const token = await issuer.mint({
    userId: person.userId,
    organizationId: person.organizationId,
    ...(person.staff ? { roles: [IdentityRole.MinistryStaff], direction: person.staff } : {}),
  });
  return { authorization: `Bearer ${token}` };
}

const run = <T = any>(query: string, variables: Record<string, unknown>, headers: Headers) => execute<T>(subgraph.url, query, variables, headers);
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

const AUDITED_FIGURES = 'taxRevenue transferRevenue serviceRevenue otherRevenue operatingExpenses financingExpenses longTermDebt accumulatedSurplus';
const PARTS = `auditedFinancialReport { ${AUDITED_FIGURES} totalRevenue totalExpenses annualSurplus }
  otherFinancialInformation { population uniformAssessment employeeCount }
  forecastData { budgetedRevenue budgetedExpenses plannedCapitalExpenditures }`;
const REPORT = `id fiscalYear status version isAmendment missingFigures deadline firstTransmittedAt updatedAt auditedBy { id } attestedBy { id } ${PARTS}
  versions { nodes { version transmittedAt transmittedBy { id } auditedBy { id } attestedBy { id } ${PARTS} } }`;
// Each step answers its payload; `result` is the report it holds.
const OPERATIONS = {
  create: `mutation($input: CreateFinancialReportInput!) { step: createFinancialReport(input: $input) { result: report { ${REPORT} } } }`,
  update: `mutation($input: UpdateFinancialReportInput!) { step: updateFinancialReport(input: $input) { result: report { ${REPORT} } } }`,
  audit: `mutation($id: ID!) { step: markFinancialReportAudited(input: { reportId: $id }) { result: report { ${REPORT} } } }`,
  attest: `mutation($id: ID!) { step: attestFinancialReport(input: { reportId: $id }) { result: report { ${REPORT} } } }`,
  transmit: `mutation($input: TransmitFinancialReportInput!) { step: transmitFinancialReport(input: $input) { result: report { ${REPORT} } } }`,
  amend: `mutation($id: ID!) { step: amendFinancialReport(input: { reportId: $id }) { result: report { ${REPORT} } } }`,
  read: `query($id: ID!) { financialReport(id: $id) { ${REPORT} } }`,
};

/** A step's answer with its report as `data.result` (null on refusal, with the errors). */
const step = async (query: string, variables: Record<string, unknown>, who: Headers) => {
  const response = await run(query, variables, who);
  return { ...response, data: response.data ? { result: response.data.step?.result } : response.data };
};
const create = (fiscalYear: number, who: Headers = as.preparer!, organizationId = QUEBEC) =>
  step(OPERATIONS.create, { input: { organizationId, fiscalYear } }, who);
const update = (reportId: string, parts: Record<string, unknown>, who: Headers = as.preparer!) =>
  step(OPERATIONS.update, { input: { reportId, ...parts } }, who);
const audit = (reportId: string, who: Headers = as.auditor!) => step(OPERATIONS.audit, { id: reportId }, who);
const attest = (reportId: string, who: Headers = as.signatory!) => step(OPERATIONS.attest, { id: reportId }, who);
const transmit = (reportId: string, version: number, who: Headers = as.transmitter!) => step(OPERATIONS.transmit, { input: { reportId, version } }, who);
const amend = (reportId: string, who: Headers = as.preparer!) => step(OPERATIONS.amend, { id: reportId }, who);
const read = (reportId: string, who: Headers) => run(OPERATIONS.read, { id: reportId }, who);

// Amounts are Money: exact decimal strings, two decimals out whatever was sent.
const COMPLETE = {
  auditedFinancialReport: {
    taxRevenue: '1200000.50',
    transferRevenue: '300000.00',
    serviceRevenue: '150000.25',
    otherRevenue: '50000.00',
    operatingExpenses: '1500000.00',
    financingExpenses: '80000.10',
    longTermDebt: '2500000.00',
    accumulatedSurplus: '-125000.75',
  },
  otherFinancialInformation: { population: 4_200, uniformAssessment: '512000000.00', employeeCount: 38 },
  forecastData: { budgetedRevenue: '1800000.00', budgetedExpenses: '1800000.00', plannedCapitalExpenditures: '400000.00' },
};

/** What the database holds about a report and overall: refusals must leave all of it as it was. */
async function stored(reportId?: string) {
  const em = subgraph.database.orm.em.fork();
  const report = reportId ? await em.findOne(FinancialReport, reportId) : null;
  return {
    report: report ? wrap(report).toPOJO() : null,
    reports: await em.count(FinancialReport),
    versions: await em.count(FinancialReportVersion),
    auditEntries: await em.count(AuditEvent),
  };
}

async function auditActions(reportId: string): Promise<string[]> {
  const events = await subgraph.database.orm.em.fork().find(AuditEvent, { targetId: reportId }, { orderBy: { occurredAt: 'asc', id: 'asc' } });
  return events.map((event) => event.action);
}

/** Each person in `who` gets `code`, and nothing is written. */
async function expectRefused(who: string[], code: string, call: (headers: Headers) => Promise<{ errors?: any[] }>, reportId?: string) {
  const before = await stored(reportId);
  for (const name of who) {
    const response = await call(as[name]!);
    expect({ who: name, code: codeOf(response) }).toEqual({ who: name, code });
  }
  expect(await stored(reportId)).toEqual(before);
}

/** A report of Québec for `fiscalYear`, complete, audited and attested: ready to transmit. */
async function readyToTransmit(fiscalYear: number): Promise<string> {
  const { data } = await create(fiscalYear);
  const id = data.result.id as string;
  expect((await update(id, COMPLETE)).errors).toBeUndefined();
  expect((await audit(id)).errors).toBeUndefined();
  expect((await attest(id)).errors).toBeUndefined();
  return id;
}

describe('PERFORM financial reports: the workflow (R13, R18)', () => {
  it('R13, R18: a report goes from draft to transmitted with the right role at each step, FORBIDDEN to every other role, nothing written on refusal', async () => {
    // Open: a preparer of the organization only.
    await expectRefused(['auditor', 'signatory', 'transmitter', 'reviewer', 'respondent', 'member', 'outsider', 'dniff'], 'FORBIDDEN', (who) => create(2020, who));
    const created = await create(2020);
    expect(created.errors).toBeUndefined();
    const id = created.data.result.id as string;
    expect(created.data.result).toMatchObject({ fiscalYear: 2020, status: 'DRAFT', version: 1, isAmendment: false, deadline: '2021-06-30', versions: { nodes: [] }, auditedBy: null });
    expect(created.data.result.missingFigures).toHaveLength(14);

    // Fill: the preparer only; someone who may not read it does not learn it exists.
    await expectRefused(['auditor', 'signatory', 'transmitter', 'reviewer', 'respondent', 'dniff'], 'FORBIDDEN', (who) => update(id, COMPLETE, who), id);
    await expectRefused(['outsider', 'member', 'dgi'], 'NOT_FOUND', (who) => update(id, COMPLETE, who), id);
    const filled = await update(id, COMPLETE);
    expect(filled.errors).toBeUndefined();
    expect(filled.data.result.missingFigures).toEqual([]);
    expect(filled.data.result.auditedFinancialReport).toEqual({
      ...COMPLETE.auditedFinancialReport,
      totalRevenue: '1700000.75',
      totalExpenses: '1580000.10',
      annualSurplus: '120000.65',
    });

    // Audit: the external auditor, a user of a firm.
    await expectRefused(['preparer', 'signatory', 'transmitter', 'reviewer', 'respondent', 'dniff'], 'FORBIDDEN', (who) => audit(id, who), id);
    const audited = await audit(id);
    expect(audited.errors).toBeUndefined();
    expect(audited.data.result).toMatchObject({ status: 'AUDITED', auditedBy: { id: people.auditor!.userId }, attestedBy: null });

    // Attest: the signatory.
    await expectRefused(['preparer', 'auditor', 'transmitter', 'reviewer', 'respondent', 'dniff'], 'FORBIDDEN', (who) => attest(id, who), id);
    const attested = await attest(id);
    expect(attested.errors).toBeUndefined();
    expect(attested.data.result).toMatchObject({ status: 'ATTESTED', attestedBy: { id: people.signatory!.userId } });

    // Transmit: the transmitter.
    await expectRefused(['preparer', 'auditor', 'signatory', 'reviewer', 'respondent', 'dniff'], 'FORBIDDEN', (who) => transmit(id, 1, who), id);
    await expectRefused(['outsider', 'member'], 'NOT_FOUND', (who) => transmit(id, 1, who), id);
    const transmitted = await transmit(id, 1);
    expect(transmitted.errors).toBeUndefined();
    expect(transmitted.data.result).toMatchObject({ status: 'TRANSMITTED', version: 1 });
    expect(transmitted.data.result.firstTransmittedAt).toEqual(transmitted.data.result.versions.nodes[0].transmittedAt);
    expect(transmitted.data.result.versions.nodes).toEqual([
      expect.objectContaining({
        version: 1,
        transmittedBy: { id: people.transmitter!.userId },
        auditedBy: { id: people.auditor!.userId },
        attestedBy: { id: people.signatory!.userId },
        auditedFinancialReport: filled.data.result.auditedFinancialReport,
        otherFinancialInformation: COMPLETE.otherFinancialInformation,
        forecastData: COMPLETE.forecastData,
      }),
    ]);

    // R21: every step is in the audit trail, in the same transactions.
    expect(await auditActions(id)).toEqual([
      'FINANCIAL_REPORT_CREATED',
      'FINANCIAL_REPORT_UPDATED',
      'FINANCIAL_REPORT_AUDITED',
      'FINANCIAL_REPORT_ATTESTED',
      'FINANCIAL_REPORT_TRANSMITTED',
    ]);
    const [transmission] = await subgraph.database.orm.em.fork().find(AuditEvent, { targetId: id, action: 'FINANCIAL_REPORT_TRANSMITTED' });
    expect(transmission).toMatchObject({
      actorUserId: people.transmitter!.userId,
      organizationId: QUEBEC,
      serviceId: PERFORM,
      targetType: 'FinancialReport',
      before: expect.objectContaining({ status: 'ATTESTED', version: 1 }),
      after: expect.objectContaining({ status: 'TRANSMITTED', version: 1 }),
    });
  });

  it('R18: a transmission sent twice, one after the other or both at once, transmits once', async () => {
    const id = await readyToTransmit(2019);
    const [first, twin] = await Promise.all([transmit(id, 1), transmit(id, 1)]);
    expect(first.errors).toBeUndefined();
    expect(twin.errors).toBeUndefined();
    expect(first.data.result.versions.nodes).toHaveLength(1);
    expect(twin.data.result).toEqual(first.data.result);
    const after = await stored(id);

    const again = await transmit(id, 1);
    expect(again.errors).toBeUndefined();
    expect(again.data.result).toEqual(first.data.result);
    expect(await stored(id)).toEqual(after);
    expect((await auditActions(id)).filter((action) => action === 'FINANCIAL_REPORT_TRANSMITTED')).toHaveLength(1);
    expect(await subgraph.database.orm.em.fork().count(FinancialReportVersion, { report: id })).toBe(1);

    // The idempotent answer is still for the transmitter only; a version never worked on is a CONFLICT.
    await expectRefused(['preparer', 'signatory'], 'FORBIDDEN', (who) => transmit(id, 1, who), id);
    await expectRefused(['transmitter'], 'CONFLICT', () => transmit(id, 2), id);
  });

  it('R18: the database itself keeps one row per transmitted version, whatever the code above it', async () => {
    const id = await readyToTransmit(2011);
    expect((await transmit(id, 1)).errors).toBeUndefined();
    const duplicate = subgraph.database.orm.em
      .fork()
      .getConnection()
      .execute(
        `insert into "financial_report_version" ("id", "report_id", "version", "content", "audited_by", "attested_by", "transmitted_by", "transmitted_at")
         values (gen_random_uuid(), ?, 1, '{}', ?, ?, ?, now())`,
        [id, people.auditor!.userId, people.signatory!.userId, people.transmitter!.userId],
      );
    await expect(duplicate).rejects.toThrow(/financial_report_version_report_id_version_unique/);
  });

  it('R18: an amendment creates a new version; the transmitted one stays readable and unchanged', async () => {
    const id = await readyToTransmit(2018);
    const original = (await transmit(id, 1)).data.result;
    const frozen = original.versions.nodes[0];

    await expectRefused(['auditor', 'signatory', 'transmitter', 'reviewer', 'dniff'], 'FORBIDDEN', (who) => amend(id, who), id);
    const amended = await amend(id);
    expect(amended.errors).toBeUndefined();
    // R18, v1 rule 5: the amendment is a new working version, at its first stage; "amended" is not a status.
    expect(amended.data.result).toMatchObject({ status: 'DRAFT', version: 2, isAmendment: true, auditedBy: null, attestedBy: null });
    // The amendment starts from the transmitted figures.
    expect(amended.data.result.auditedFinancialReport).toEqual(frozen.auditedFinancialReport);
    await expectRefused(['preparer'], 'CONFLICT', () => amend(id), id);

    const corrected = { ...COMPLETE.auditedFinancialReport, otherRevenue: '62500.4' };
    const edited = await update(id, { auditedFinancialReport: corrected });
    expect(edited.data.result.auditedFinancialReport).toMatchObject({ otherRevenue: '62500.40', totalRevenue: '1712501.15' });
    expect(edited.data.result.versions.nodes).toEqual([frozen]);

    // An amendment is audited, attested and transmitted like the original, and its status says so
    // at each stage (never "amended" until its next transmission).
    expect((await audit(id)).data.result).toMatchObject({ status: 'AUDITED', isAmendment: true, auditedBy: { id: people.auditor!.userId } });
    expect((await attest(id)).data.result).toMatchObject({ status: 'ATTESTED', isAmendment: true });
    const retransmitted = await transmit(id, 2);
    expect(retransmitted.data.result).toMatchObject({ status: 'TRANSMITTED', version: 2, isAmendment: true, firstTransmittedAt: original.firstTransmittedAt });
    expect(retransmitted.data.result.versions.nodes).toHaveLength(2);
    expect(retransmitted.data.result.versions.nodes[0]).toEqual(frozen);
    expect(retransmitted.data.result.versions.nodes[1].auditedFinancialReport.otherRevenue).toBe('62500.40');
    expect((await read(id, as.reviewer!)).data.financialReport.versions.nodes[0]).toEqual(frozen);

    // A late retry of the first transmission transmits nothing.
    const before = await stored(id);
    expect((await transmit(id, 1)).data.result).toMatchObject({ status: 'TRANSMITTED', version: 2 });
    expect(await stored(id)).toEqual(before);
    expect(await auditActions(id)).toEqual(expect.arrayContaining(['FINANCIAL_REPORT_AMENDED']));

    // Frozen for the database itself, too.
    await expect(
      subgraph.database.orm.em.fork().getConnection().execute(`update "financial_report_version" set "content" = '{}' where "report_id" = '${id}'`),
    ).rejects.toThrow(/append-only/);
  });

  it('R18: the audited part is locked once audited; an edit withdraws the attestation, and in an amendment the audit mark', async () => {
    const id = await readyToTransmit(2017);
    const changedAudit = { ...COMPLETE.auditedFinancialReport, taxRevenue: '1200001.00' };
    await expectRefused(['preparer'], 'CONFLICT', () => update(id, { auditedFinancialReport: changedAudit }), id);

    // Saving the audited part unchanged changes nothing, attestation included.
    const unchanged = await update(id, { auditedFinancialReport: COMPLETE.auditedFinancialReport });
    expect(unchanged.data.result.attestedBy).toEqual({ id: people.signatory!.userId });

    const otherInfo = await update(id, { otherFinancialInformation: { ...COMPLETE.otherFinancialInformation, employeeCount: 40 } });
    expect(otherInfo.data.result).toMatchObject({ status: 'AUDITED', auditedBy: { id: people.auditor!.userId }, attestedBy: null });
    // Without a new attestation, nothing is transmitted.
    await expectRefused(['transmitter'], 'CONFLICT', () => transmit(id, 1), id);
    expect((await attest(id)).errors).toBeUndefined();
    expect((await transmit(id, 1)).errors).toBeUndefined();
    await expectRefused(['preparer'], 'CONFLICT', () => update(id, { forecastData: COMPLETE.forecastData }), id);

    await amend(id);
    expect((await audit(id)).errors).toBeUndefined();
    const reworked = await update(id, { auditedFinancialReport: changedAudit });
    // In an amendment the audited part may change again: the audit mark goes, the version is a draft again.
    expect(reworked.data.result).toMatchObject({ status: 'DRAFT', isAmendment: true, auditedBy: null, attestedBy: null });
  });

  it('R13: one person is never both external auditor and signatory of the same report (FORBIDDEN), even after a change of role', async () => {
    const dual = { userId: stableId('user', 'TEST-QC-DUAL'), organizationId: QUEBEC };
    const headers = await headersOf(dual);
    issuer.grant(dual.userId, { serviceId: PERFORM, organizationId: QUEBEC, role: 'PERFORM_EXTERNAL_AUDITOR' });
    const { data } = await create(2016);
    const id = data.result.id as string;
    await update(id, COMPLETE);
    expect((await audit(id, headers)).errors).toBeUndefined();

    // The auditor later becomes the treasurer: still not the signatory of a report they audited.
    issuer.revokeAll(dual.userId);
    issuer.grant(dual.userId, { serviceId: PERFORM, organizationId: QUEBEC, role: 'PERFORM_SIGNATORY' });
    as.dual = headers;
    await expectRefused(['dual'], 'FORBIDDEN', () => attest(id, headers), id);
    const refused = await attest(id, headers);
    expect(refused.errors?.[0]?.message).toMatch(/vérificateur externe et le signataire/);

    // Signed by the real signatory and transmitted, then amended: the former auditor still cannot sign it.
    await attest(id);
    await transmit(id, 1);
    await amend(id);
    await audit(id);
    await expectRefused(['dual'], 'FORBIDDEN', () => attest(id, headers), id);
    // …and a signatory of any version does not audit the report either.
    issuer.grant(people.signatory!.userId, { serviceId: PERFORM, organizationId: QUEBEC, role: 'PERFORM_EXTERNAL_AUDITOR' });
    await update(id, { auditedFinancialReport: { ...COMPLETE.auditedFinancialReport, longTermDebt: '2400000.00' } });
    await expectRefused(['signatory'], 'FORBIDDEN', () => audit(id, as.signatory), id);
    issuer.revokeAll(dual.userId);
    issuer.revokeAll(people.signatory!.userId);
    issuer.grant(people.signatory!.userId, { serviceId: PERFORM, organizationId: QUEBEC, role: 'PERFORM_SIGNATORY' });
  });
});

describe('PERFORM financial reports: bad input gets a clear French error and writes nothing', () => {
  let id: string;

  beforeAll(async () => {
    id = (await create(2015)).data.result.id;
  });

  it.each([
    ['a negative amount', { auditedFinancialReport: { taxRevenue: '-1' } }, 'input.auditedFinancialReport.taxRevenue', /ne peut pas être négatif/],
    ['a negative population', { otherFinancialInformation: { population: -5 } }, 'input.otherFinancialInformation.population', /ne peut pas être négatif/],
    ['an unbalanced budget', { forecastData: { budgetedRevenue: '100', budgetedExpenses: '100.01' } }, 'input.forecastData.budgetedExpenses', /équilibré/],
  ])('R18: %s is BAD_USER_INPUT on the figure concerned', async (_, parts, field, message) => {
    await expectRefused(['preparer'], 'BAD_USER_INPUT', () => update(id, parts), id);
    const response = await update(id, parts);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect(response.errors?.[0]?.message).toMatch(message);
  });

  it.each([
    ['more than two decimals', { forecastData: { budgetedRevenue: '10.005' } }, 'input.forecastData.budgetedRevenue'],
    ['an amount beyond a numeric(14,2)', { otherFinancialInformation: { uniformAssessment: '10000000000000' } }, 'input.otherFinancialInformation.uniformAssessment'],
    ['a floating-point number', { auditedFinancialReport: { taxRevenue: 1200.5 } }, 'input.auditedFinancialReport.taxRevenue'],
  ])('R18: %s is refused by the Money scalar (BAD_USER_INPUT on the figure), before any resolver', async (_, parts, field) => {
    await expectRefused(['preparer'], 'BAD_USER_INPUT', () => update(id, parts), id);
    const response = await update(id, parts);
    expect(response.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field } });
    expect(response.errors?.[0]?.message).toMatch(/Montant invalide.*deux décimales/);
  });

  it('R18: an accumulated deficit is the one negative figure accepted', async () => {
    const response = await update(id, { auditedFinancialReport: { accumulatedSurplus: '-42.5' } });
    expect(response.errors).toBeUndefined();
    expect(response.data.result.auditedFinancialReport.accumulatedSurplus).toBe('-42.50');
  });

  it('R18: a fiscal year outside 2000 to this year, or one already opened, is refused', async () => {
    for (const fiscalYear of [1999, 2999]) {
      await expectRefused(['preparer'], 'BAD_USER_INPUT', () => create(fiscalYear));
      expect((await create(fiscalYear)).errors?.[0]?.message).toMatch(/entre 2000 et/);
    }
    await expectRefused(['preparer'], 'CONFLICT', () => create(2015));
    expect((await create(2015)).errors?.[0]?.message).toMatch(/existe déjà pour l'exercice 2015/);
  });

  it('R20: unknown ids are NOT_FOUND, exactly like reports the caller may not see', async () => {
    const unknown = stableId('financial-report', 'nowhere');
    for (const reportId of [unknown, 'pas-un-id']) {
      await expectRefused(['preparer'], 'NOT_FOUND', () => update(reportId, COMPLETE));
      await expectRefused(['auditor'], 'NOT_FOUND', () => audit(reportId));
      await expectRefused(['signatory'], 'NOT_FOUND', () => attest(reportId));
      await expectRefused(['transmitter'], 'NOT_FOUND', () => transmit(reportId, 1));
      await expectRefused(['preparer'], 'NOT_FOUND', () => amend(reportId));
    }
    const message = (await audit(unknown)).errors?.[0]?.message;
    expect((await audit(id, as.outsider)).errors?.[0]?.message).toBe(message);
    await expectRefused(['preparer'], 'NOT_FOUND', () => create(2014, as.preparer, 'pas-un-id'));
  });

  it('R18: a step out of order is a CONFLICT; an incomplete report is neither audited, attested nor transmitted', async () => {
    await expectRefused(['signatory'], 'CONFLICT', () => attest(id), id);
    await expectRefused(['transmitter'], 'CONFLICT', () => transmit(id, 1), id);
    await expectRefused(['preparer'], 'CONFLICT', () => amend(id), id);
    await expectRefused(['auditor'], 'BAD_USER_INPUT', () => audit(id), id);
    const incomplete = await audit(id);
    expect(incomplete.errors?.[0]?.extensions?.missing).toEqual(expect.arrayContaining(['auditedFinancialReport.taxRevenue']));
    // The audited part complete, the rest not: audited, but not attested.
    await update(id, { auditedFinancialReport: COMPLETE.auditedFinancialReport });
    expect((await audit(id)).errors).toBeUndefined();
    await expectRefused(['auditor'], 'CONFLICT', () => audit(id), id);
    await expectRefused(['signatory'], 'BAD_USER_INPUT', () => attest(id), id);
    await expectRefused(['transmitter'], 'BAD_USER_INPUT', () => transmit(id, 0), id);
    await expectRefused(['preparer'], 'BAD_USER_INPUT', () => update(id, {}), id);
  });
});

describe('PERFORM financial reports: who reads them (R13, R19, R20)', () => {
  const MAGOG_REPORT_2021 = stableId('financial-report', 'MUN-45072:2021');
  const disclosures = (readerUserId: string) => subgraph.database.orm.em.fork().count(DisclosureEvent, { readerUserId });
  const ORG_REPORTS = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { financialReports { nodes { fiscalYear status version } } } } }';
  const ORG_SUMMARY = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { financialSummary { nodes {
    fiscalYear status deadline transmittedVersion transmittedAt totalRevenue totalExpenses annualSurplus longTermDebt accumulatedSurplus population report { id } } } } } }`;
  const magog = [{ __typename: 'Organization', id: MAGOG }];

  it("R19: the Sommaire de l'information financière gives each year's status and the figures of its last transmitted version", async () => {
    const { data, errors } = await run(ORG_SUMMARY, { r: magog }, as.dniff!);
    expect(errors).toBeUndefined();
    const rows = data._entities[0].financialSummary.nodes;
    // 2023 is being amended: its version 2 is a draft (FinancialReport.isAmendment says which).
    expect(rows.map((row: { fiscalYear: number; status: string }) => [row.fiscalYear, row.status])).toEqual([
      [2025, 'DRAFT'],
      [2024, 'AUDITED'],
      [2023, 'DRAFT'],
      [2022, 'TRANSMITTED'],
      [2021, 'TRANSMITTED'],
    ]);
    expect(rows[4]).toEqual({
      fiscalYear: 2021,
      status: 'TRANSMITTED',
      deadline: '2022-06-30',
      transmittedVersion: 1,
      transmittedAt: '2022-05-12T16:30:00.000Z',
      totalRevenue: '62055022.07',
      totalExpenses: '57775712.87',
      annualSurplus: '4279309.20',
      longTermDebt: '71250000.00',
      accumulatedSurplus: '18340512.33',
      population: 27_950,
      report: { id: MAGOG_REPORT_2021 },
    });
    // The amended 2022 report counts with its second version; the 2023 amendment, not yet transmitted, with its first.
    expect(rows[3]).toMatchObject({ transmittedVersion: 2, totalRevenue: '64667222.95', annualSurplus: '4580481.57' });
    expect(rows[2]).toMatchObject({ transmittedVersion: 1, totalRevenue: '67019423.83' });
    expect(rows[1]).toMatchObject({ transmittedVersion: null, totalRevenue: null, population: null });
  });

  it('R18, R19: the reports, their versions and the summary are pages (20 by default, 100 at most) with exact counts', async () => {
    const PAGES = `query($r: [_Any!]!, $after: String) { _entities(representations: $r) { ... on Organization {
      financialReports(first: 2, after: $after) { nodes { fiscalYear versions(first: 1) { nodes { version } pageInfo { hasNextPage } totalCount } }
        pageInfo { hasNextPage endCursor } totalCount }
      financialSummary(first: 2, after: $after) { nodes { fiscalYear } edges { cursor } totalCount } } } }`;
    const first = (await run(PAGES, { r: magog }, as.dniff!)).data._entities[0];
    expect(first.financialReports.nodes.map((report: { fiscalYear: number }) => report.fiscalYear)).toEqual([2025, 2024]);
    expect(first.financialReports).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    // The summary's rows are the reports' rows: the same cursors page both.
    expect(first.financialSummary.edges.at(-1).cursor).toBe(first.financialReports.pageInfo.endCursor);
    const second = (await run(PAGES, { r: magog, after: first.financialReports.pageInfo.endCursor }, as.dniff!)).data._entities[0];
    expect(second.financialReports.nodes).toEqual([
      { fiscalYear: 2023, versions: { nodes: [{ version: 1 }], pageInfo: { hasNextPage: false }, totalCount: 1 } },
      { fiscalYear: 2022, versions: { nodes: [{ version: 1 }], pageInfo: { hasNextPage: true }, totalCount: 2 } },
    ]);
    expect(second.financialSummary).toMatchObject({ nodes: [{ fiscalYear: 2023 }, { fiscalYear: 2022 }], totalCount: 5 });
    const tooMany = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { financialReports(first: 101) { totalCount } } } }', { r: magog }, as.dniff!);
    expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
  });

  it('R18: lateness follows the first transmission, whatever the amendments', async () => {
    const LATE = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { financialReports { nodes { fiscalYear isLate } } } } }`;
    const { data } = await run(LATE, { r: magog }, as.dniff!);
    const late = Object.fromEntries(data._entities[0].financialReports.nodes.map((row: { fiscalYear: number; isLate: boolean }) => [row.fiscalYear, row.isLate]));
    // 2021 and 2023 first transmitted before 30 June; 2022 first transmitted on 20 July 2023.
    expect([late[2021], late[2022], late[2023]]).toEqual([false, true, false]);
  });

  it('R20: a report another organization may not see does not exist for it; its list is FORBIDDEN', async () => {
    for (const name of ['outsider', 'dgi', 'member']) {
      const byId = await read(MAGOG_REPORT_2021, as[name]!);
      expect({ name, byId }).toEqual({ name, byId: { data: { financialReport: null }, errors: undefined } });
      const reference = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on FinancialReport { fiscalYear } } }', { r: [{ __typename: 'FinancialReport', id: MAGOG_REPORT_2021 }] }, as[name]!);
      expect(reference.data._entities).toEqual([null]);
      for (const query of [ORG_REPORTS, ORG_SUMMARY]) {
        const list = await run(query, { r: magog }, as[name]!);
        expect({ name, code: codeOf(list) }).toEqual({ name, code: 'FORBIDDEN' });
        // v1 rule 6: the refusal nulls the list, not the organization that holds it.
        expect(list.data._entities).toEqual([{ [query === ORG_REPORTS ? 'financialReports' : 'financialSummary']: null }]);
        expect(JSON.stringify(list.data)).not.toContain('2021');
      }
    }
    // Anonymous callers learn nothing either, not even whether an id exists.
    for (const id of [MAGOG_REPORT_2021, stableId('financial-report', 'nowhere')]) {
      expect(codeOf(await execute(subgraph.url, OPERATIONS.read, { id }))).toBe('UNAUTHENTICATED');
      const reference = await execute(subgraph.url, 'query($r: [_Any!]!) { _entities(representations: $r) { ... on FinancialReport { fiscalYear } } }', {
        r: [{ __typename: 'FinancialReport', id }],
      });
      expect(codeOf(reference)).toBe('UNAUTHENTICATED');
    }
  });

  it("R13, R20: the organization's PERFORM people and DNIFF read its reports, with nothing disclosed", async () => {
    const before = await subgraph.database.orm.em.fork().count(DisclosureEvent);
    expect((await read(MAGOG_REPORT_2021, as.magogSignatory!)).data.financialReport).toMatchObject({ fiscalYear: 2021, status: 'TRANSMITTED' });
    const dniff = await run(ORG_REPORTS, { r: magog }, as.dniff!);
    expect(dniff.data._entities[0].financialReports.nodes.map((r: { fiscalYear: number }) => r.fiscalYear)).toEqual([2025, 2024, 2023, 2022, 2021]);
    // Québec's reviewer and répondant read Québec's reports, never Magog's.
    const quebecReport = (await create(2012)).data.result.id;
    for (const name of ['reviewer', 'respondent']) {
      const own = await run(ORG_REPORTS, { r: [{ __typename: 'Organization', id: QUEBEC }] }, as[name]!);
      expect(own.data._entities[0].financialReports.nodes).toContainEqual({ fiscalYear: 2012, status: 'DRAFT', version: 1 });
      expect((await read(quebecReport, as[name]!)).data.financialReport.id).toBe(quebecReport);
      expect((await read(MAGOG_REPORT_2021, as[name]!)).data.financialReport).toBeNull();
    }
    expect(await subgraph.database.orm.em.fork().count(DisclosureEvent)).toBe(before);
  });

  it("R20: every read by the firm's external auditor is logged before the report is shown, under their role", async () => {
    const auditorId = stableId('user', 'VCE0000001');
    const start = await disclosures(auditorId);
    expect((await read(MAGOG_REPORT_2021, as.magogAuditor!)).data.financialReport.fiscalYear).toBe(2021);
    expect(await disclosures(auditorId)).toBe(start + 1);
    const [entry] = await subgraph.database.orm.em.fork().find(DisclosureEvent, { readerUserId: auditorId }, { orderBy: { occurredAt: 'desc' }, limit: 1 });
    expect(entry).toMatchObject({
      readerOrganizationId: AUDIT_FIRM,
      organizationId: MAGOG,
      serviceId: PERFORM,
      recordType: 'FINANCIAL_REPORT',
      recordId: MAGOG_REPORT_2021,
      role: 'PERFORM_EXTERNAL_AUDITOR',
    });
    // The list, the summary and references: one entry per report shown.
    await run(ORG_REPORTS, { r: magog }, as.magogAuditor!);
    expect(await disclosures(auditorId)).toBe(start + 6);
    await run(ORG_SUMMARY, { r: magog }, as.magogAuditor!);
    expect(await disclosures(auditorId)).toBe(start + 11);
    await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on FinancialReport { fiscalYear } } }', { r: [{ __typename: 'FinancialReport', id: MAGOG_REPORT_2021 }] }, as.magogAuditor!);
    expect(await disclosures(auditorId)).toBe(start + 12);
    // Québec's auditor, also of a firm, is logged when a step's answer shows the report.
    const quebecAuditor = people.auditor!.userId;
    const before = await disclosures(quebecAuditor);
    const id = (await create(2013)).data.result.id;
    await update(id, { auditedFinancialReport: COMPLETE.auditedFinancialReport });
    await audit(id);
    expect(await disclosures(quebecAuditor)).toBe(before + 1);
  });

  it('asks the decision point once per request, whatever the number of reports', async () => {
    const before = issuer.rightsCalls();
    const ids = [2021, 2022, 2023, 2024, 2025].map((year) => ({ __typename: 'FinancialReport', id: stableId('financial-report', `MUN-45072:${year}`) }));
    const response = await run('query($r: [_Any!]!) { _entities(representations: $r) { ... on FinancialReport { fiscalYear versions { nodes { version } } } } }', { r: ids }, as.dniff!);
    expect(response.data._entities.map((r: { fiscalYear: number }) => r.fiscalYear)).toEqual([2021, 2022, 2023, 2024, 2025]);
    expect(issuer.rightsCalls() - before).toBe(1);
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = subgraph.database.orm.em.fork();
    const before = [await em.count(FinancialReport), await em.count(FinancialReportVersion)];
    await em.transactional((tx) => seedMandatesDemoData(tx));
    expect([await em.count(FinancialReport), await em.count(FinancialReportVersion)]).toEqual(before);
  });
});
