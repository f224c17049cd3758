import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { signInAll } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
type Headers = Record<string, string>;

const MAGOG = stableId('organization', 'MUN-45072');
const PERFORM = stableId('online-service', 'PERFORM');
const MAGOG_2021 = stableId('financial-report', 'MUN-45072:2021');

// The demo's PERFORM people of Magog (identity, services): the names say the roles.
const PEOPLE = {
  caroline: 'MAG0000004', // preparer
  genevieve: 'VCE0000001', // external auditor, of a firme de vérificateur
  luc: 'MAG0000003', // signatory (treasurer)
  isabelle: 'MAG0000001', // transmitter and répondant municipal
  marc: 'MAG0000002', // no PERFORM role
  nathalie: 'MAM0000003', // DNIFF
  sophie: 'SHE0000001', // Sherbrooke
} as const;
let as: Record<keyof typeof PEOPLE, Headers>;

beforeAll(async () => {
  stack = await startStack();
  as = await signInAll(stack.gatewayUrl, PEOPLE);
});

afterAll(async () => {
  await stack?.close();
});

const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;

const REPORT = `id fiscalYear status version organization { name }
  auditedFinancialReport { otherRevenue totalRevenue annualSurplus }
  versions { version auditedFinancialReport { otherRevenue totalRevenue } }`;
const STEPS = {
  create: `mutation($o: ID!, $y: Int!) { step: createFinancialReport(input: { organizationId: $o, fiscalYear: $y }) { ${REPORT} } }`,
  update: `mutation($input: UpdateFinancialReportInput!) { step: updateFinancialReport(input: $input) { ${REPORT} } }`,
  audit: `mutation($id: ID!) { step: markFinancialReportAudited(reportId: $id) { ${REPORT} } }`,
  attest: `mutation($id: ID!) { step: attestFinancialReport(reportId: $id) { ${REPORT} } }`,
  transmit: `mutation($id: ID!, $v: Int!) { step: transmitFinancialReport(input: { reportId: $id, version: $v }) { ${REPORT} } }`,
  amend: `mutation($id: ID!) { step: amendFinancialReport(reportId: $id) { ${REPORT} } }`,
};
const READ = `query($id: ID!) { financialReport(id: $id) { ${REPORT} auditedBy { givenName } attestedBy { givenName } } }`;

const COMPLETE = {
  auditedFinancialReport: {
    taxRevenue: 44_910_220.15,
    transferRevenue: 5_998_004.5,
    serviceRevenue: 4_511_873,
    otherRevenue: 1_987_450.35,
    operatingExpenses: 52_877_016.4,
    financingExpenses: 1_790_455,
    longTermDebt: 69_800_000,
    accumulatedSurplus: 17_120_448.9,
  },
  otherFinancialInformation: { population: 27_400, uniformAssessment: 5_120_440_300, employeeCount: 309 },
  forecastData: { budgetedRevenue: 60_450_000, budgetedExpenses: 60_450_000, plannedCapitalExpenditures: 16_200_000 },
};

/** Magog's PERFORM trail as its répondant reads it: what was written, newest first. */
async function trailOf(reportId: string): Promise<string[]> {
  const { data } = await gateway(
    'query($o: ID!, $s: ID!) { organization(id: $o) { recordsAuditTrail(serviceId: $s, first: 100) { events { action targetId } } } }',
    { o: MAGOG, s: PERFORM },
    as.isabelle,
  );
  const events = data.organization.recordsAuditTrail.events as Array<{ action: string; targetId: string }>;
  return events.filter((event) => event.targetId === reportId).map((event) => event.action);
}

/** A refused step: the code, and the report and its trail exactly as they were. */
async function expectRefused(reportId: string, code: string, step: () => Promise<{ errors?: any[] }>) {
  const [before, trail] = await Promise.all([gateway(READ, { id: reportId }, as.nathalie), trailOf(reportId)]);
  expect(codeOf(await step())).toBe(code);
  expect(await gateway(READ, { id: reportId }, as.nathalie)).toEqual(before);
  expect(await trailOf(reportId)).toEqual(trail);
}

describe('PERFORM financial reports through the gateway (R13, R18, R19, R20)', () => {
  let reportId: string;

  it("R19: DNIFF reads Magog's Sommaire de l'information financière next to the organization's name", async () => {
    const { data, errors } = await gateway(
      'query($o: ID!) { organization(id: $o) { name financialSummary { fiscalYear status transmittedVersion totalRevenue report { id } } } }',
      { o: MAGOG },
      as.nathalie,
    );
    expect(errors).toBeUndefined();
    expect(data.organization.name).toBe('Ville de Magog');
    const rows = data.organization.financialSummary;
    expect(rows.find((row: { fiscalYear: number }) => row.fiscalYear === 2021)).toEqual({
      fiscalYear: 2021,
      status: 'TRANSMITTED',
      transmittedVersion: 1,
      totalRevenue: 62_055_022.07,
      report: { id: MAGOG_2021 },
    });
    expect(rows.map((row: { status: string }) => row.status)).toEqual(expect.arrayContaining(['DRAFT', 'AUDITED', 'AMENDED', 'TRANSMITTED']));
    // Sherbrooke's user learns nothing of it.
    const refused = await gateway('query($o: ID!) { organization(id: $o) { financialSummary { fiscalYear } } }', { o: MAGOG }, as.sophie);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect((await gateway(READ, { id: MAGOG_2021 }, as.sophie)).data).toEqual({ financialReport: null });
  });

  it('R13, R18: each step by its PERFORM role, from draft to transmitted; every other role is refused and nothing is written', async () => {
    expect(codeOf(await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.marc))).toBe('FORBIDDEN');
    expect(codeOf(await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.genevieve))).toBe('FORBIDDEN');
    const created = await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.caroline);
    expect(created.errors).toBeUndefined();
    expect(created.data.step).toMatchObject({ fiscalYear: 2020, status: 'DRAFT', version: 1, organization: { name: 'Ville de Magog' } });
    reportId = created.data.step.id;

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.luc));
    await expectRefused(reportId, 'NOT_FOUND', () => gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.sophie));
    expect((await gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.caroline)).data.step.auditedFinancialReport).toEqual({
      otherRevenue: 1_987_450.35,
      totalRevenue: 57_407_548,
      annualSurplus: 2_740_076.6,
    });

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.audit, { id: reportId }, as.caroline));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.audit, { id: reportId }, as.luc));
    expect((await gateway(STEPS.audit, { id: reportId }, as.genevieve)).data.step.status).toBe('AUDITED');

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.attest, { id: reportId }, as.genevieve));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.attest, { id: reportId }, as.isabelle));
    expect((await gateway(STEPS.attest, { id: reportId }, as.luc)).errors).toBeUndefined();

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.transmit, { id: reportId, v: 1 }, as.luc));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.transmit, { id: reportId, v: 1 }, as.nathalie));
    const transmitted = await gateway(STEPS.transmit, { id: reportId, v: 1 }, as.isabelle);
    expect(transmitted.data.step).toMatchObject({ status: 'TRANSMITTED', version: 1, versions: [{ version: 1 }] });

    // DNIFF sees who audited and who attested (identity shows ministry staff any user).
    const seen = await gateway(READ, { id: reportId }, as.nathalie);
    expect(seen.data.financialReport).toMatchObject({ auditedBy: { givenName: 'Geneviève' }, attestedBy: { givenName: 'Luc' } });
    expect(await trailOf(reportId)).toEqual([
      'FINANCIAL_REPORT_TRANSMITTED',
      'FINANCIAL_REPORT_ATTESTED',
      'FINANCIAL_REPORT_AUDITED',
      'FINANCIAL_REPORT_UPDATED',
      'FINANCIAL_REPORT_CREATED',
    ]);
  });

  it('R18: the same transmission sent twice transmits once', async () => {
    const before = await trailOf(reportId);
    const again = await gateway(STEPS.transmit, { id: reportId, v: 1 }, as.isabelle);
    expect(again.errors).toBeUndefined();
    expect(again.data.step.versions).toEqual([{ version: 1, auditedFinancialReport: { otherRevenue: 1_987_450.35, totalRevenue: 57_407_548 } }]);
    expect(await trailOf(reportId)).toEqual(before);
  });

  it('R18: an amendment is a new version; the transmitted one stays readable and unchanged', async () => {
    const frozen = (await gateway(READ, { id: reportId }, as.luc)).data.financialReport.versions[0];
    const amended = await gateway(STEPS.amend, { id: reportId }, as.caroline);
    expect(amended.data.step).toMatchObject({ status: 'AMENDED', version: 2 });
    const corrected = { ...COMPLETE.auditedFinancialReport, otherRevenue: 2_087_450.35 };
    expect((await gateway(STEPS.update, { input: { reportId, auditedFinancialReport: corrected } }, as.caroline)).data.step.versions).toEqual([frozen]);
    expect((await gateway(STEPS.audit, { id: reportId }, as.genevieve)).data.step.status).toBe('AMENDED');
    await gateway(STEPS.attest, { id: reportId }, as.luc);
    const retransmitted = await gateway(STEPS.transmit, { id: reportId, v: 2 }, as.isabelle);
    expect(retransmitted.data.step.versions).toEqual([
      frozen,
      { version: 2, auditedFinancialReport: { otherRevenue: 2_087_450.35, totalRevenue: 57_507_548 } },
    ]);
    expect(await trailOf(reportId)).toContain('FINANCIAL_REPORT_AMENDED');
  });

  it("R20: the firm's auditor reads Magog's report, and the read shows in Magog's disclosure log", async () => {
    const read = await gateway(READ, { id: MAGOG_2021 }, as.genevieve);
    expect(read.data.financialReport).toMatchObject({ fiscalYear: 2021, status: 'TRANSMITTED', auditedBy: { givenName: 'Geneviève' } });
    const log = await gateway(
      'query($o: ID!) { organization(id: $o) { disclosureLog(first: 50) { nodes { recordType recordId role readerOrganization { name } } } } }',
      { o: MAGOG },
      as.isabelle,
    );
    expect(log.errors).toBeUndefined();
    expect(log.data.organization.disclosureLog.nodes).toContainEqual({
      recordType: 'FINANCIAL_REPORT',
      recordId: MAGOG_2021,
      role: 'PERFORM_EXTERNAL_AUDITOR',
      readerOrganization: { name: 'Vérification comptable Estrie S.E.N.C.R.L.' },
    });
  });

  it('R13: a PERFORM role given by the répondant municipal through services opens the reports on the next request; a reviewer still changes nothing', async () => {
    const list = 'query($o: ID!) { organization(id: $o) { financialReports { fiscalYear } } }';
    expect(codeOf(await gateway(list, { o: MAGOG }, as.marc))).toBe('FORBIDDEN');
    const granted = await gateway(
      'mutation($u: ID!) { grantPerformRole(input: { userId: $u, role: PERFORM_REVIEWER }) { accessRight { role } } }',
      { u: stableId('user', PEOPLE.marc) },
      as.isabelle,
    );
    expect(granted.errors).toBeUndefined();
    const years = (await gateway(list, { o: MAGOG }, as.marc)).data.organization.financialReports.map((row: { fiscalYear: number }) => row.fiscalYear);
    expect(years).toEqual([2025, 2024, 2023, 2022, 2021, 2020]);
    // A reviewer reads; filling is the preparer's.
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.amend, { id: reportId }, as.marc));
  });
});
