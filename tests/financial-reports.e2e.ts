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

const REPORT = `id fiscalYear status version isAmendment organization { name }
  auditedFinancialReport { otherRevenue totalRevenue annualSurplus }
  versions { nodes { version auditedFinancialReport { otherRevenue totalRevenue } } }`;
// Each step's payload holds the report; `step` is that report.
const STEPS = {
  create: `mutation($o: ID!, $y: Int!) { createFinancialReport(input: { organizationId: $o, fiscalYear: $y }) { step: report { ${REPORT} } } }`,
  update: `mutation($input: UpdateFinancialReportInput!) { updateFinancialReport(input: $input) { step: report { ${REPORT} } } }`,
  audit: `mutation($id: ID!) { markFinancialReportAudited(input: { reportId: $id }) { step: report { ${REPORT} } } }`,
  attest: `mutation($id: ID!) { attestFinancialReport(input: { reportId: $id }) { step: report { ${REPORT} } } }`,
  transmit: `mutation($id: ID!, $v: Int!) { transmitFinancialReport(input: { reportId: $id, version: $v }) { step: report { ${REPORT} } } }`,
  amend: `mutation($id: ID!) { amendFinancialReport(input: { reportId: $id }) { step: report { ${REPORT} } } }`,
};
const READ = `query($id: ID!) { financialReport(id: $id) { ${REPORT} auditedBy { givenName } attestedBy { givenName } } }`;

// Amounts are Money: exact decimal strings.
const COMPLETE = {
  auditedFinancialReport: {
    taxRevenue: '44910220.15',
    transferRevenue: '5998004.50',
    serviceRevenue: '4511873.00',
    otherRevenue: '1987450.35',
    operatingExpenses: '52877016.40',
    financingExpenses: '1790455.00',
    longTermDebt: '69800000.00',
    accumulatedSurplus: '17120448.90',
  },
  otherFinancialInformation: { population: 27_400, uniformAssessment: '5120440300.00', employeeCount: 309 },
  forecastData: { budgetedRevenue: '60450000.00', budgetedExpenses: '60450000.00', plannedCapitalExpenditures: '16200000.00' },
};

/** Magog's PERFORM trail as its répondant reads it: what was written, newest first. */
async function trailOf(reportId: string): Promise<string[]> {
  const { data } = await gateway(
    'query($o: ID!, $s: ID!) { organization(id: $o) { recordsAuditTrail(serviceId: $s, first: 100) { nodes { action targetId } } } }',
    { o: MAGOG, s: PERFORM },
    as.isabelle,
  );
  const events = data.organization.recordsAuditTrail.nodes as Array<{ action: string; targetId: string }>;
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
  /**
   * A report of Magog for `fiscalYear` taken from draft to transmitted by its PERFORM roles (R13,
   * R18): a test that starts from a transmitted report makes its own, of a year no other uses.
   */
  async function transmittedReport(fiscalYear: number): Promise<string> {
    const created = await gateway(STEPS.create, { o: MAGOG, y: fiscalYear }, as.caroline);
    expect(created.errors).toBeUndefined();
    const reportId = created.data.createFinancialReport.step.id as string;
    expect((await gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.caroline)).errors).toBeUndefined();
    expect((await gateway(STEPS.audit, { id: reportId }, as.genevieve)).errors).toBeUndefined();
    expect((await gateway(STEPS.attest, { id: reportId }, as.luc)).errors).toBeUndefined();
    expect((await gateway(STEPS.transmit, { id: reportId, v: 1 }, as.isabelle)).data.transmitFinancialReport.step.status).toBe('TRANSMITTED');
    return reportId;
  }

  it("R19: DNIFF reads Magog's Sommaire de l'information financière next to the organization's name", async () => {
    const { data, errors } = await gateway(
      'query($o: ID!) { organization(id: $o) { name financialSummary { nodes { fiscalYear status transmittedVersion totalRevenue report { id isAmendment } } } } }',
      { o: MAGOG },
      as.nathalie,
    );
    expect(errors).toBeUndefined();
    expect(data.organization.name).toBe('Ville de Magog');
    const rows = data.organization.financialSummary.nodes;
    expect(rows.find((row: { fiscalYear: number }) => row.fiscalYear === 2021)).toEqual({
      fiscalYear: 2021,
      status: 'TRANSMITTED',
      transmittedVersion: 1,
      totalRevenue: '62055022.07',
      report: { id: MAGOG_2021, isAmendment: false },
    });
    expect(rows.map((row: { status: string }) => row.status)).toEqual(expect.arrayContaining(['DRAFT', 'AUDITED', 'TRANSMITTED']));
    // 2023 is being amended: its status is its version 2's stage, the amendment said apart.
    expect(rows.find((row: { fiscalYear: number }) => row.fiscalYear === 2023)).toMatchObject({ status: 'DRAFT', report: { isAmendment: true } });
    // Sherbrooke's user learns nothing of it, and still reads the organization's name (v1, rule 6).
    const refused = await gateway('query($o: ID!) { organization(id: $o) { name financialSummary { nodes { fiscalYear } } } }', { o: MAGOG }, as.sophie);
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.data).toEqual({ organization: { name: 'Ville de Magog', financialSummary: null } });
    expect((await gateway(READ, { id: MAGOG_2021 }, as.sophie)).data).toEqual({ financialReport: null });
  });

  it('R13, R18: each step by its PERFORM role, from draft to transmitted; every other role is refused and nothing is written', async () => {
    expect(codeOf(await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.marc))).toBe('FORBIDDEN');
    expect(codeOf(await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.genevieve))).toBe('FORBIDDEN');
    const created = await gateway(STEPS.create, { o: MAGOG, y: 2020 }, as.caroline);
    expect(created.errors).toBeUndefined();
    expect(created.data.createFinancialReport.step).toMatchObject({ fiscalYear: 2020, status: 'DRAFT', version: 1, isAmendment: false, organization: { name: 'Ville de Magog' } });
    const reportId = created.data.createFinancialReport.step.id as string;

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.luc));
    await expectRefused(reportId, 'NOT_FOUND', () => gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.sophie));
    expect((await gateway(STEPS.update, { input: { reportId, ...COMPLETE } }, as.caroline)).data.updateFinancialReport.step.auditedFinancialReport).toEqual({
      otherRevenue: '1987450.35',
      totalRevenue: '57407548.00',
      annualSurplus: '2740076.60',
    });

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.audit, { id: reportId }, as.caroline));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.audit, { id: reportId }, as.luc));
    expect((await gateway(STEPS.audit, { id: reportId }, as.genevieve)).data.markFinancialReportAudited.step.status).toBe('AUDITED');

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.attest, { id: reportId }, as.genevieve));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.attest, { id: reportId }, as.isabelle));
    expect((await gateway(STEPS.attest, { id: reportId }, as.luc)).data.attestFinancialReport.step.status).toBe('ATTESTED');

    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.transmit, { id: reportId, v: 1 }, as.luc));
    await expectRefused(reportId, 'FORBIDDEN', () => gateway(STEPS.transmit, { id: reportId, v: 1 }, as.nathalie));
    const transmitted = await gateway(STEPS.transmit, { id: reportId, v: 1 }, as.isabelle);
    expect(transmitted.data.transmitFinancialReport.step).toMatchObject({ status: 'TRANSMITTED', version: 1, versions: { nodes: [{ version: 1 }] } });

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
    const reportId = await transmittedReport(2019);
    const before = await trailOf(reportId);
    const again = await gateway(STEPS.transmit, { id: reportId, v: 1 }, as.isabelle);
    expect(again.errors).toBeUndefined();
    expect(again.data.transmitFinancialReport.step.versions.nodes).toEqual([{ version: 1, auditedFinancialReport: { otherRevenue: '1987450.35', totalRevenue: '57407548.00' } }]);
    expect(await trailOf(reportId)).toEqual(before);
  });

  it('R18: an amendment is a new version; the transmitted one stays readable and unchanged', async () => {
    const reportId = await transmittedReport(2018);
    const frozen = (await gateway(READ, { id: reportId }, as.luc)).data.financialReport.versions.nodes[0];
    const amended = await gateway(STEPS.amend, { id: reportId }, as.caroline);
    // v1, rule 5: the amendment's status is its own stage, from DRAFT on; the amendment is said apart.
    expect(amended.data.amendFinancialReport.step).toMatchObject({ status: 'DRAFT', version: 2, isAmendment: true });
    const corrected = { ...COMPLETE.auditedFinancialReport, otherRevenue: '2087450.35' };
    expect((await gateway(STEPS.update, { input: { reportId, auditedFinancialReport: corrected } }, as.caroline)).data.updateFinancialReport.step.versions.nodes).toEqual([frozen]);
    expect((await gateway(STEPS.audit, { id: reportId }, as.genevieve)).data.markFinancialReportAudited.step).toMatchObject({ status: 'AUDITED', isAmendment: true });
    expect((await gateway(STEPS.attest, { id: reportId }, as.luc)).data.attestFinancialReport.step.status).toBe('ATTESTED');
    const retransmitted = await gateway(STEPS.transmit, { id: reportId, v: 2 }, as.isabelle);
    expect(retransmitted.data.transmitFinancialReport.step.versions.nodes).toEqual([
      frozen,
      { version: 2, auditedFinancialReport: { otherRevenue: '2087450.35', totalRevenue: '57507548.00' } },
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
    const list = 'query($o: ID!) { organization(id: $o) { financialReports { nodes { fiscalYear } } } }';
    expect(codeOf(await gateway(list, { o: MAGOG }, as.marc))).toBe('FORBIDDEN');
    const granted = await gateway(
      'mutation($u: ID!) { grantPerformRole(input: { userId: $u, role: PERFORM_REVIEWER }) { accessRight { role } } }',
      { u: stableId('user', PEOPLE.marc) },
      as.isabelle,
    );
    expect(granted.errors).toBeUndefined();
    const years = (await gateway(list, { o: MAGOG }, as.marc)).data.organization.financialReports.nodes.map((row: { fiscalYear: number }) => row.fiscalYear);
    // Newest year first: the demo data's years, and those other tests may have opened before them.
    expect(years.filter((year: number) => year >= 2021)).toEqual([2025, 2024, 2023, 2022, 2021]);
    expect(years).toEqual([...years].sort((a: number, b: number) => b - a));
    // A reviewer reads; filling is the preparer's.
    await expectRefused(MAGOG_2021, 'FORBIDDEN', () => gateway(STEPS.amend, { id: MAGOG_2021 }, as.marc));
  });
});
