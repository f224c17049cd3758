import { ACCESS_MANAGER_ROLES, IdentityRole, regionalDirectionOfRegion } from '@pgamr/kit';
import { buildDataSet } from '../bench/src/data/dataset';
import { choosePersonas } from '../bench/src/data/personas';
import { Random } from '../bench/src/data/random';
import { FISCAL_YEARS, Kind, MANDATE_GIVER_ROLES, MINISTRY_ORGANIZATION_ID } from '../bench/src/data/reference';
import { checkResponse, type ScenarioName } from '../bench/src/run/checks';
import { PERSONA_LISTS } from '../bench/src/run/manifest';
import type { Measurement } from '../bench/src/run/protocol';
import { renderMarkdown, type BenchReport } from '../bench/src/run/report';
import { buildScenarios, LAST_CLOSED_FISCAL_YEAR, SCENARIO_NAMES } from '../bench/src/run/scenarios';

// Issue 18's analyst scenarios: who sends them (chosen from the generated rows by the rule each
// subgraph applies), what their answers must look like, and the report's statements per call.
// The scenarios themselves run in `npm run bench`, not here.

const SEED = 7;
const SCALE = 0.05;
const data = buildDataSet(SEED, SCALE);
const personas = choosePersonas(new Random(SEED).fork('personas'), data, SCALE);
const userById = new Map(data.users.map((user) => [user.id, user]));
const inForce = (right: (typeof data.accessRights)[number]) =>
  !right.revokedAt && right.validFrom.getTime() <= Date.parse('2026-11-22T05:00:00Z') && (!right.validUntil || right.validUntil.getTime() > Date.parse('2026-11-22T05:00:00Z'));
const rightsOf = (userId: string) => data.accessRights.filter((right) => right.userId === userId && inForce(right));

describe('analyst personas', () => {
  it('R5, R20: a regional direction’s staff are ministry staff, their token carries the direction identity stores, and their region has municipal bodies', () => {
    expect(personas.regionalDirections.length).toBeGreaterThan(0);
    for (const viewer of personas.regionalDirections) {
      const user = userById.get(viewer.userId)!;
      expect(viewer.organizationId).toBe(MINISTRY_ORGANIZATION_ID);
      expect(user.org.kind).toBe(Kind.Ministry);
      expect(viewer.roles).toEqual([IdentityRole.MinistryStaff]);
      expect(viewer.direction).toMatch(/^DR-\d{2}$/);
      expect(user.direction).toBe(viewer.direction);
      const bodies = data.organizations.filter((o) => o.municipal && regionalDirectionOfRegion(o.administrativeRegion) === viewer.direction);
      expect(bodies.length).toBe(viewer.regionalBodies);
      expect(bodies.length).toBeGreaterThan(0);
    }
    // Every other generated user keeps no direction: only ministry staff have one.
    expect(data.users.filter((user) => user.direction !== null).every((user) => user.org.id === MINISTRY_ORGANIZATION_ID)).toBe(true);
  });

  it('R15, R16: a mandate analyst is the RSÉ of a firm that received mandates, or a manager of an organization that gave some in a service they mandate in', () => {
    let firms = 0;
    let managers = 0;
    for (const viewer of personas.mandateAnalysts) {
      const user = userById.get(viewer.userId)!;
      if (user.org.firm) {
        firms++;
        expect(viewer.roles).toContain(IdentityRole.Rse);
        expect(data.mandates.filter((m) => m.firmOrganizationId === user.org.id)).toHaveLength(viewer.countedMandates);
      } else {
        managers++;
        const services = new Set(rightsOf(user.id).filter((r) => r.organizationId === user.org.id && MANDATE_GIVER_ROLES.includes(r.role)).map((r) => r.serviceCode));
        expect(data.mandates.filter((m) => m.organizationId === user.org.id && services.has(m.serviceCode))).toHaveLength(viewer.countedMandates);
      }
      expect(viewer.countedMandates).toBeGreaterThan(0);
    }
    expect(firms).toBeGreaterThan(0);
    expect(managers).toBeGreaterThan(0);
  });

  it('R8, R10: an access request analyst manages a service of their organization on which ordinary requests are pending', () => {
    expect(personas.accessRequestAnalysts.length).toBeGreaterThan(0);
    for (const viewer of personas.accessRequestAnalysts) {
      const managed = new Set(
        rightsOf(viewer.userId)
          .filter((r) => r.organizationId === viewer.organizationId && ACCESS_MANAGER_ROLES.includes(r.role))
          .map((r) => r.serviceCode),
      );
      const pending = data.accessRequests.filter(
        (r) => r.status === 'PENDING' && r.kind === 'ACCESS' && r.organizationId === viewer.organizationId && managed.has(r.serviceCode),
      );
      expect(pending).toHaveLength(viewer.pendingRequests);
      expect(pending.length).toBeGreaterThan(0);
    }
  });

  it('adds the regional staff after every other row: the rest of the data set is the same as without them', () => {
    const staff = data.users.filter((user) => user.org.id === MINISTRY_ORGANIZATION_ID);
    expect(data.users.slice(-staff.length)).toEqual(staff);
    expect(new Set(staff.map((user) => user.clicSequrCode)).size).toBe(staff.length);
    expect(staff.every((user) => /^MAM\d{7}$/.test(user.clicSequrCode) && user.clicSequrCode > 'MAM0000004')).toBe(true);
  });
});

describe('analyst scenarios', () => {
  it('are listed, each sent by a list of the manifest, the late reports over the data’s last closed year', () => {
    const scenarios = buildScenarios();
    expect(scenarios.map((scenario) => scenario.name)).toEqual([...SCENARIO_NAMES]);
    for (const scenario of scenarios) expect(PERSONA_LISTS).toContain(scenario.persona);
    expect(LAST_CLOSED_FISCAL_YEAR).toBe(FISCAL_YEARS.at(-1));
    expect(scenarios.find((scenario) => scenario.name === 'analyst-late-reports')!.query).toContain(`fiscalYears: [${LAST_CLOSED_FISCAL_YEAR}]`);
  });
});

const meta = { userId: 'u', organizationId: 'o' };
const check = (scenario: ScenarioName, data: unknown) => checkResponse(scenario, 200, JSON.stringify({ data }), meta);

const ANSWERS: Record<'analyst-late-reports' | 'analyst-mandates' | 'analyst-users' | 'analyst-access-requests', () => Record<string, unknown>> = {
  'analyst-late-reports': () => ({
    financialReportStatistics: {
      groups: [
        { organization: { id: 'a', name: 'Ville de A' }, reportCount: 1, missingCount: 0, transmittedCount: 1, lateCount: 1, medianDaysLate: 12 },
        { organization: { id: 'b', name: 'Ville de B' }, reportCount: 0, missingCount: 1, transmittedCount: 0, lateCount: 1, medianDaysLate: 160 },
      ],
      total: { reportCount: 1, missingCount: 1, transmittedCount: 1, lateCount: 2, medianDaysLate: 86 },
    },
  }),
  'analyst-mandates': () => ({
    mandateStatistics: {
      groups: [
        { firm: { id: 'f', name: 'Firme' }, level: 'CONSULTATION', mandateCount: 3, mandataireCount: 2, dossierCount: 4 },
        { firm: { id: 'f', name: 'Firme' }, level: 'PREPARATION', mandateCount: 1, mandataireCount: 1, dossierCount: 0 },
      ],
      total: { mandateCount: 4, mandataireCount: 2, dossierCount: 4 },
    },
  }),
  'analyst-users': () => ({
    userStatistics: {
      groups: [
        { organizationKind: 'LOCAL_MUNICIPALITY', status: 'ACTIVE', userCount: 40, organizationCount: 7, rseCount: 9 },
        { organizationKind: 'LOCAL_MUNICIPALITY', status: 'SUSPENDED', userCount: 2, organizationCount: 2, rseCount: 0 },
      ],
      total: { userCount: 42, organizationCount: 7, rseCount: 9 },
    },
  }),
  'analyst-access-requests': () => ({
    accessRequestStatistics: {
      groups: [
        { service: { id: 's1', code: 'TECQ', name: 'TECQ' }, kind: 'ACCESS', pendingCount: 2, medianAgeDays: 3.5, oldestAgeDays: 6.25 },
        { service: { id: 's2', code: 'RÉCIM', name: 'RÉCIM' }, kind: 'ACCESS', pendingCount: 1, medianAgeDays: 12.5, oldestAgeDays: 12.5 },
      ],
      total: { pendingCount: 3, medianAgeDays: 6.25, oldestAgeDays: 12.5 },
    },
  }),
};

describe('analyst answers', () => {
  it.each(Object.keys(ANSWERS) as Array<keyof typeof ANSWERS>)('%s: a consistent answer passes, an empty one is marked empty', (scenario) => {
    expect(check(scenario, ANSWERS[scenario]())).toEqual({ empty: false });
    const [field] = Object.keys(ANSWERS[scenario]());
    const total = Object.fromEntries(Object.entries((ANSWERS[scenario]()[field!] as { total: Record<string, unknown> }).total).map(([key, value]) => [key, typeof value === 'number' && Number.isInteger(value) ? 0 : null]));
    expect(check(scenario, { [field!]: { groups: [], total } })).toEqual({ empty: true });
  });

  it.each([
    ['analyst-late-reports', 'financialReportStatistics.total.missingCount', 2, 'total.missingCount: 2, the groups count 1'],
    ['analyst-late-reports', 'financialReportStatistics.groups.1.lateCount', 0, 'lateCount: 0, not every report counted'],
    ['analyst-late-reports', 'financialReportStatistics.groups.0.organization', null, 'organization: object expected'],
    ['analyst-mandates', 'mandateStatistics.total.mandateCount', 5, 'total.mandateCount: 5, the groups count 4'],
    ['analyst-mandates', 'mandateStatistics.total.mandataireCount', 4, 'total.mandataireCount: more than the groups'],
    ['analyst-users', 'userStatistics.groups.0.rseCount', 41, 'rseCount: more RSÉ than users'],
    ['analyst-users', 'userStatistics.total.userCount', 41, 'total.userCount: 41, the groups count 42'],
    ['analyst-access-requests', 'accessRequestStatistics.total.pendingCount', 4, 'total.pendingCount: 4, the groups count 3'],
    ['analyst-access-requests', 'accessRequestStatistics.total.oldestAgeDays', 20, 'total.oldestAgeDays: 20'],
  ] as const)('%s: fails loudly when %s is %p', (scenario, path, value, problem) => {
    const answer = ANSWERS[scenario]();
    const keys = path.split('.');
    const parent = keys.slice(0, -1).reduce<Record<string, unknown>>((object, key) => object[key] as Record<string, unknown>, answer);
    parent[keys.at(-1)!] = value;
    expect(check(scenario, answer).problem).toContain(problem);
  });

  it('fails on GraphQL errors, whatever the data', () => {
    const body = JSON.stringify({ data: ANSWERS['analyst-users'](), errors: [{ message: 'Interdit', extensions: { code: 'FORBIDDEN' } }] });
    expect(checkResponse('analyst-users', 200, body, meta).problem).toContain('FORBIDDEN');
  });
});

describe('bench report', () => {
  it('gives each subgraph’s calls, SQL statements and statements per call', () => {
    const measurement = (run: number, identity: number): Measurement => ({
      side: 'current',
      target: 'ours',
      scenario: 'analyst-users',
      connections: 20,
      run,
      requestsPerSecond: 100,
      latencyMs: { p50: 10, p99: 20, mean: 11, max: 30 },
      sent: 100,
      responses: 100,
      errors: 0,
      errorSamples: [],
      empty: 0,
      exhausted: false,
      elapsedMs: 1000,
      subgraphCallsPerRequest: 1,
      sqlStatementsPerRequest: identity,
      subgraphCountersPerRequest: { identity: { calls: 1, sqlStatements: identity }, services: { calls: 0, sqlStatements: 0 } },
    });
    const report: BenchReport = {
      generatedAt: '2026-12-07T09:00:00.000Z',
      revision: 'abc1234',
      label: 'abc1234',
      machine: { cpuModel: 'test', cpuCount: 2, memoryGiB: 1, kernel: 'Linux', node: 'v20', loadAverageAtStart: [0, 0, 0] },
      versions: {},
      postgres: 'PostgreSQL 15',
      dataSet: { manifest: 'm', seed: 1, scale: 1, generatedAt: '2026-12-07T08:00:00.000Z', counts: {} },
      options: { durationSeconds: 8, warmupSeconds: 3, runs: 2, connections: [20], targets: ['ours'], maxUsers: 2000 },
      configuration: [],
      method: [],
      notes: [],
      scenarios: [{ name: 'analyst-users' as const, title: 'Users', operationName: 'AnalystUsers', query: 'query AnalystUsers { x }', planOutline: 'identity', plannedFetches: 1, distinctUsers: 80, requestsInPool: 80 }],
      measurements: [measurement(1, 3), measurement(2, 3)],
      failures: [],
    };
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('| conn. | target | identity calls | identity SQL | identity SQL/call | services calls | services SQL | services SQL/call |');
    expect(markdown).toMatch(/\| 20 \| ours[^|]*\| 1\.00 \| 3\.00 \| 3\.00 \| 0\.00 \| 0\.00 \| n\/a \|/);
  });
});
