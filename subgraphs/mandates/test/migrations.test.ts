import { stableId } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { mandatesSubgraph } from '../src/server';

// API v1 (issue 14) changed what the mandates database holds, not only what the API shows: the
// migration is run here on rows written the way the code before it wrote them.

const BEFORE_V1 = 'Migration20261122180310';
const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', 'TECQ');
const DNIFF_AGENT = stableId('user', 'MAM0000003');
const AMENDED_REPORT = stableId('financial-report', 'legacy:amended');
const ATTESTED_REPORT = stableId('financial-report', 'legacy:attested');
const DOSSIER = stableId('dossier', 'legacy:form');

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { seedDemoData: false, jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl });
  issuer.administer(DNIFF_AGENT, stableId('online-service', 'PERFORM'));
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

const sql = (statement: string, params: unknown[] = []) => subgraph.database.orm.em.fork().getConnection().execute(statement, params);
/** The one row a statement reads. */
const row = async (statement: string, params: unknown[]): Promise<Record<string, any>> => {
  const [first] = (await sql(statement, params)) as Array<Record<string, any>>;
  expect(first).toBeDefined();
  return first!;
};

describe('mandates subgraph: the API v1 migration', () => {
  it('turns stored amounts into exact strings, AMENDED into the stage of the amendment, and the forms’ days into …On; and back', async () => {
    await subgraph.database.orm.migrator.down({ to: BEFORE_V1 });
    const legacy = JSON.stringify({
      auditedFinancialReport: { taxRevenue: 1200000.5, transferRevenue: 300000, serviceRevenue: 0.1, otherRevenue: 0.2, operatingExpenses: 999999999999.99, financingExpenses: null, longTermDebt: 2500000, accumulatedSurplus: -125000.75 },
      otherFinancialInformation: { population: 4200, uniformAssessment: 512000000, employeeCount: 38 },
      forecastData: { budgetedRevenue: 10, budgetedExpenses: 9.99 },
    });
    const report = (id: string, status: string, version: number, audited: boolean, attested: boolean) =>
      sql(
        `insert into financial_report (id, organization_id, fiscal_year, status, version, content, audited_by, attested_by, created_by, created_at, updated_at)
         values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, now(), now())`,
        [id, MAGOG, version === 2 ? 2010 : 2011, status, version, legacy, audited ? DNIFF_AGENT : null, attested ? DNIFF_AGENT : null, DNIFF_AGENT],
      );
    await report(AMENDED_REPORT, 'AMENDED', 2, true, false);
    await report(ATTESTED_REPORT, 'AUDITED', 1, true, true);
    await sql(
      `insert into financial_report_version (id, report_id, version, content, audited_by, attested_by, transmitted_by, transmitted_at) values (gen_random_uuid(), ?, 1, ?::jsonb, ?, ?, ?, now())`,
      [AMENDED_REPORT, legacy, DNIFF_AGENT, DNIFF_AGENT, DNIFF_AGENT],
    );
    await sql(
      `insert into dossier (id, organization_id, service_id, title, requested_amount, status, form, created_by, created_at, updated_at)
       values (?, ?, ?, 'Réfection', 1000.25, 'DRAFT', ?::jsonb, ?, now(), now())`,
      [DOSSIER, MAGOG, TECQ, JSON.stringify({ population: 100, plannedWorkStart: '2027-05-01' }), DNIFF_AGENT],
    );

    await subgraph.database.orm.migrator.up();

    const amended = await row('select status, content from financial_report where id = ?', [AMENDED_REPORT]);
    expect(amended.status).toBe('AUDITED');
    expect(amended.content.auditedFinancialReport).toEqual({
      taxRevenue: '1200000.50',
      transferRevenue: '300000.00',
      serviceRevenue: '0.10',
      otherRevenue: '0.20',
      operatingExpenses: '999999999999.99',
      financingExpenses: null,
      longTermDebt: '2500000.00',
      accumulatedSurplus: '-125000.75',
    });
    expect(amended.content.otherFinancialInformation).toEqual({ population: 4200, uniformAssessment: '512000000.00', employeeCount: 38 });
    const frozen = await row('select content from financial_report_version where report_id = ?', [AMENDED_REPORT]);
    expect(frozen.content).toEqual(amended.content);
    expect((await row('select status from financial_report where id = ?', [ATTESTED_REPORT])).status).toBe('ATTESTED');
    expect((await row('select form from dossier where id = ?', [DOSSIER])).form).toEqual({ population: 100, plannedWorkStartsOn: '2027-05-01' });
    // The frozen versions are frozen again once the migration is done.
    await expect(sql(`update financial_report_version set content = '{}' where report_id = ?`, [AMENDED_REPORT])).rejects.toThrow(/append-only/);

    const dniff = { authorization: `Bearer ${await issuer.mint({ userId: DNIFF_AGENT, organizationId: stableId('organization', 'MIN-MAMH') })}` };
    const { data, errors } = await execute<any>(
      subgraph.url,
      `{ financialReport(id: "${AMENDED_REPORT}") { status isAmendment auditedFinancialReport { totalRevenue totalExpenses } versions { nodes { auditedFinancialReport { taxRevenue } } } } }`,
      {},
      dniff,
    );
    expect(errors).toBeUndefined();
    expect(data.financialReport).toEqual({
      status: 'AUDITED',
      isAmendment: true,
      auditedFinancialReport: { totalRevenue: '1500000.80', totalExpenses: null },
      versions: { nodes: [{ auditedFinancialReport: { taxRevenue: '1200000.50' } }] },
    });

    await subgraph.database.orm.migrator.down({ to: BEFORE_V1 });
    const reverted = await row('select status, content from financial_report where id = ?', [AMENDED_REPORT]);
    expect(reverted.status).toBe('AMENDED');
    expect(reverted.content.auditedFinancialReport.taxRevenue).toBe(1200000.5);
    expect((await row('select form from dossier where id = ?', [DOSSIER])).form).toEqual({ population: 100, plannedWorkStart: '2027-05-01' });
    await subgraph.database.orm.migrator.up();
  });
});
