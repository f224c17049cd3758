/**
 * What each scenario's answer must look like. Pure functions of the response data, loaded by the
 * load worker: a gateway that answers fast but wrong must fail the bench, not win it.
 */
export type ScenarioName =
  | 'catalog'
  | 'my-services'
  | 'dashboard'
  | 'mandataire-dossiers'
  | 'financial-summary'
  | 'grant-access'
  | 'analyst'
  | 'analyst-late-reports'
  | 'analyst-mandates'
  | 'analyst-users'
  | 'analyst-access-requests';

/** Who a request was sent as, and for the mutation which request it decides. */
export interface RequestMeta {
  userId: string;
  organizationId: string;
  requestId?: string;
}

/** `problem` fails the request; `empty` marks a valid answer with nothing in its main list. */
export interface CheckResult {
  problem?: string;
  empty?: boolean;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonEmptyString = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

function objectAt(value: unknown, path: string): Json {
  if (!isObject(value)) throw new Error(`${path}: object expected`);
  return value;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${path}: list expected`);
  return value;
}

/** Money (API v1): an exact decimal string of dollars, two decimals; never a JSON number. */
function amountAt(value: unknown, path: string, options: { nullable?: boolean } = {}): void {
  if (value === null && options.nullable) return;
  if (typeof value !== 'string' || !/^-?\d+\.\d{2}$/.test(value)) throw new Error(`${path}: an amount (decimal string) expected`);
}

function stringAt(value: unknown, path: string): string {
  if (!nonEmptyString(value)) throw new Error(`${path}: non-empty string expected`);
  return value as string;
}

function checkService(value: unknown, path: string): void {
  const service = objectAt(value, path);
  stringAt(service.id, `${path}.id`);
  stringAt(service.code, `${path}.code`);
  stringAt(service.name, `${path}.name`);
}

function checkDossiers(value: unknown, path: string, options: { organizationId?: string; withMandates: boolean }): boolean {
  const connection = objectAt(value, path);
  const nodes = arrayAt(connection.nodes, `${path}.nodes`);
  if (nodes.length > 50) throw new Error(`${path}.nodes: ${nodes.length} > 50`);
  if (typeof connection.totalCount !== 'number' || connection.totalCount < nodes.length) throw new Error(`${path}.totalCount: inconsistent`);
  nodes.forEach((node, index) => {
    const dossier = objectAt(node, `${path}.nodes[${index}]`);
    stringAt(dossier.id, `${path}.nodes[${index}].id`);
    stringAt(dossier.title, `${path}.nodes[${index}].title`);
    amountAt(dossier.requestedAmount, `${path}.nodes[${index}].requestedAmount`);
    checkService(dossier.service, `${path}.nodes[${index}].service`);
    const organization = objectAt(dossier.organization, `${path}.nodes[${index}].organization`);
    stringAt(organization.name, `${path}.nodes[${index}].organization.name`);
    if (options.organizationId && organization.id !== options.organizationId) {
      throw new Error(`${path}.nodes[${index}].organization.id: another organization's dossier`);
    }
    if (options.withMandates) {
      const mandates = `${path}.nodes[${index}].mandates.nodes`;
      arrayAt(objectAt(dossier.mandates, `${path}.nodes[${index}].mandates`).nodes, mandates).forEach((value, m) => {
        const mandate = objectAt(value, `${mandates}[${m}]`);
        stringAt(mandate.mandataireName, `${mandates}[${m}].mandataireName`);
        stringAt(objectAt(mandate.firm, `${mandates}[${m}].firm`).name, `${mandates}[${m}].firm.name`);
      });
    }
  });
  return nodes.length === 0;
}

/** A count of a statistics group: an integer, at least `minimum`. */
function countAt(value: unknown, path: string, minimum = 0): number {
  if (!Number.isInteger(value) || (value as number) < minimum) throw new Error(`${path}: an integer ≥ ${minimum} expected`);
  return value as number;
}

/** A duration in days of a statistics group: a number ≥ 0, or null where the API allows it. */
function daysAt(value: unknown, path: string): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`${path}: a number of days ≥ 0 or null expected`);
  return value;
}

/**
 * The shape every `…Statistics` answer shares: `groups` and `total`. Checks each group with
 * `group`, then that the groups add up to the total for each additive count in `sums` (the
 * groups partition what the total counts). Returns whether nothing was counted.
 */
function checkStatistics(
  value: unknown,
  path: string,
  sums: readonly string[],
  group: (group: Json, path: string) => void,
  total: (total: Json, groups: Json[]) => void = () => undefined,
): boolean {
  const statistics = objectAt(value, path);
  const totals = objectAt(statistics.total, `${path}.total`);
  const groups = arrayAt(statistics.groups, `${path}.groups`).map((entry, index) => objectAt(entry, `${path}.groups[${index}]`));
  groups.forEach((entry, index) => group(entry, `${path}.groups[${index}]`));
  for (const field of sums) {
    const expected = countAt(totals[field], `${path}.total.${field}`);
    const counted = groups.reduce((sum, entry, index) => sum + countAt(entry[field], `${path}.groups[${index}].${field}`), 0);
    if (counted !== expected) throw new Error(`${path}.total.${field}: ${expected}, the groups count ${counted}`);
  }
  total(totals, groups);
  return countAt(totals[sums[0]!], `${path}.total.${sums[0]!}`) === 0;
}

type Checker = (data: Json, meta: RequestMeta) => boolean | void;

const CHECKERS: Record<ScenarioName, Checker> = {
  catalog: (data) => {
    const catalog = objectAt(data.onlineServices, 'onlineServices');
    const services = arrayAt(catalog.nodes, 'onlineServices.nodes');
    if (services.length === 0) throw new Error('onlineServices.nodes: the catalog is never empty');
    if (catalog.totalCount !== services.length) throw new Error('onlineServices.totalCount: not the whole catalog in one page of 100');
    services.forEach((service, index) => {
      const path = `onlineServices.nodes[${index}]`;
      checkService(service, path);
      stringAt(objectAt(objectAt(service, '').sector, `${path}.sector`).code, `${path}.sector.code`);
      stringAt(objectAt(objectAt(service, '').owner, `${path}.owner`).ministry, `${path}.owner.ministry`);
    });
  },
  'my-services': (data, meta) => {
    const me = objectAt(data.me, 'me');
    if (me.id !== meta.userId) throw new Error('me.id: not the token’s user');
    stringAt(me.givenName, 'me.givenName');
    const organization = objectAt(me.organization, 'me.organization');
    if (organization.id !== meta.organizationId) throw new Error('me.organization.id: not the token’s organization');
    stringAt(organization.name, 'me.organization.name');
    const sectors = arrayAt(me.onlineServices, 'me.onlineServices');
    sectors.forEach((sector, index) => {
      const services = arrayAt(objectAt(sector, `me.onlineServices[${index}]`).services, `me.onlineServices[${index}].services`);
      services.forEach((entry, s) => checkService(objectAt(entry, '').service, `me.onlineServices[${index}].services[${s}].service`));
    });
    return sectors.length === 0;
  },
  dashboard: (data, meta) => {
    const organization = objectAt(data.organization, 'organization');
    if (organization.id !== meta.organizationId) throw new Error('organization.id: not the viewer’s organization');
    stringAt(organization.name, 'organization.name');
    return checkDossiers(organization.dossiers, 'organization.dossiers', { organizationId: meta.organizationId, withMandates: true });
  },
  'mandataire-dossiers': (data) => checkDossiers(data.dossiers, 'dossiers', { withMandates: false }),
  'financial-summary': (data, meta) => {
    const organization = objectAt(data.organization, 'organization');
    if (organization.id !== meta.organizationId) throw new Error('organization.id: not the viewer’s organization');
    const years = arrayAt(objectAt(organization.financialSummary, 'organization.financialSummary').nodes, 'organization.financialSummary.nodes');
    years.forEach((year, index) => {
      const path = `organization.financialSummary.nodes[${index}]`;
      const line = objectAt(year, path);
      if (!Number.isInteger(line.fiscalYear)) throw new Error(`${path}.fiscalYear: integer expected`);
      stringAt(line.status, `${path}.status`);
      for (const figure of ['totalRevenue', 'totalExpenses', 'annualSurplus', 'longTermDebt', 'accumulatedSurplus']) {
        amountAt(line[figure], `${path}.${figure}`, { nullable: true });
      }
    });
    return years.length === 0;
  },
  analyst: (data) => {
    const statistics = objectAt(data.dossierStatistics, 'dossierStatistics');
    const total = objectAt(statistics.total, 'dossierStatistics.total');
    let counted = 0;
    arrayAt(statistics.groups, 'dossierStatistics.groups').forEach((value, index) => {
      const path = `dossierStatistics.groups[${index}]`;
      const group = objectAt(value, path);
      checkService(group.program, `${path}.program`);
      stringAt(group.status, `${path}.status`);
      if (!Number.isInteger(group.dossierCount) || (group.dossierCount as number) < 1) throw new Error(`${path}.dossierCount: a positive integer expected`);
      counted += group.dossierCount as number;
      amountAt(group.requestedAmount, `${path}.requestedAmount`);
      amountAt(group.acceptedAmount, `${path}.acceptedAmount`);
    });
    // The groups partition the dossiers the total counts.
    if (total.dossierCount !== counted) throw new Error(`dossierStatistics.total.dossierCount: ${String(total.dossierCount)}, the groups count ${counted}`);
    amountAt(total.requestedAmount, 'dossierStatistics.total.requestedAmount');
    return counted === 0;
  },
  // R18: with `late: true` every report counted is late, and a missing one counts as late once
  // 30 June after its year has passed, which it has for the last closed year.
  'analyst-late-reports': (data) =>
    checkStatistics(data.financialReportStatistics, 'financialReportStatistics', ['reportCount', 'missingCount', 'transmittedCount', 'lateCount'], (group, path) => {
      const organization = objectAt(group.organization, `${path}.organization`);
      stringAt(organization.id, `${path}.organization.id`);
      stringAt(organization.name, `${path}.organization.name`);
      const reports = countAt(group.reportCount, `${path}.reportCount`);
      const missing = countAt(group.missingCount, `${path}.missingCount`);
      if (reports + missing < 1) throw new Error(`${path}: a group of no report`);
      if (countAt(group.transmittedCount, `${path}.transmittedCount`) > reports) throw new Error(`${path}.transmittedCount: more than reportCount`);
      if (group.lateCount !== reports + missing) throw new Error(`${path}.lateCount: ${String(group.lateCount)}, not every report counted (${reports + missing}) with late: true`);
      if (daysAt(group.medianDaysLate, `${path}.medianDaysLate`) === null) throw new Error(`${path}.medianDaysLate: null for late reports`);
    }),
  'analyst-mandates': (data) =>
    checkStatistics(
      data.mandateStatistics,
      'mandateStatistics',
      ['mandateCount', 'dossierCount'],
      (group, path) => {
        const firm = objectAt(group.firm, `${path}.firm`);
        stringAt(firm.id, `${path}.firm.id`);
        stringAt(firm.name, `${path}.firm.name`);
        stringAt(group.level, `${path}.level`);
        const mandates = countAt(group.mandateCount, `${path}.mandateCount`, 1);
        const mandataires = countAt(group.mandataireCount, `${path}.mandataireCount`, 1);
        if (mandataires > mandates) throw new Error(`${path}.mandataireCount: more mandataires than mandates`);
      },
      // Distinct mandataires do not add up across groups, but cannot exceed their sum.
      (total, groups) => {
        const most = groups.reduce((sum, group) => sum + (group.mandataireCount as number), 0);
        if (countAt(total.mandataireCount, 'mandateStatistics.total.mandataireCount') > most) throw new Error('mandateStatistics.total.mandataireCount: more than the groups’');
      },
    ),
  'analyst-users': (data) =>
    checkStatistics(
      data.userStatistics,
      'userStatistics',
      ['userCount', 'rseCount'],
      (group, path) => {
        stringAt(group.organizationKind, `${path}.organizationKind`);
        stringAt(group.status, `${path}.status`);
        const users = countAt(group.userCount, `${path}.userCount`, 1);
        if (countAt(group.rseCount, `${path}.rseCount`) > users) throw new Error(`${path}.rseCount: more RSÉ than users`);
        const organizations = countAt(group.organizationCount, `${path}.organizationCount`, 1);
        if (organizations > users) throw new Error(`${path}.organizationCount: more organizations than users`);
      },
      (total, groups) => {
        const most = groups.reduce((sum, group) => sum + (group.organizationCount as number), 0);
        if (countAt(total.organizationCount, 'userStatistics.total.organizationCount') > most) throw new Error('userStatistics.total.organizationCount: more than the groups’');
      },
    ),
  'analyst-access-requests': (data) =>
    checkStatistics(
      data.accessRequestStatistics,
      'accessRequestStatistics',
      ['pendingCount'],
      (group, path) => {
        checkService(group.service, `${path}.service`);
        stringAt(group.kind, `${path}.kind`);
        countAt(group.pendingCount, `${path}.pendingCount`, 1);
        const median = daysAt(group.medianAgeDays, `${path}.medianAgeDays`);
        const oldest = daysAt(group.oldestAgeDays, `${path}.oldestAgeDays`);
        if (median === null || oldest === null || median > oldest) throw new Error(`${path}: median age ${String(median)}, oldest ${String(oldest)}`);
      },
      (total, groups) => {
        const oldest = daysAt(total.oldestAgeDays, 'accessRequestStatistics.total.oldestAgeDays');
        const groupsOldest = Math.max(...groups.map((group) => group.oldestAgeDays as number));
        // One statement's `now` for all: equal but for the rounding to two decimals.
        if (groups.length > 0 && (oldest === null || Math.abs(oldest - groupsOldest) > 0.011)) throw new Error(`accessRequestStatistics.total.oldestAgeDays: ${String(oldest)}, the groups’ oldest ${groupsOldest}`);
      },
    ),
  'grant-access': (data, meta) => {
    const request = objectAt(objectAt(data.decideAccessRequest, 'decideAccessRequest').accessRequest, 'decideAccessRequest.accessRequest');
    if (request.id !== meta.requestId) throw new Error('decideAccessRequest.accessRequest.id: not the request decided');
    if (request.status !== 'GRANTED') throw new Error(`decideAccessRequest.accessRequest.status: ${String(request.status)}`);
    stringAt(request.decidedAt, 'decideAccessRequest.accessRequest.decidedAt');
    checkService(request.service, 'decideAccessRequest.accessRequest.service');
  },
};

/** Checks the `data` of an answer that had no `errors`. */
export function checkData(scenario: ScenarioName, data: unknown, meta: RequestMeta): CheckResult {
  try {
    if (!isObject(data)) return { problem: 'data: object expected' };
    return { empty: CHECKERS[scenario](data, meta) === true };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

/** Checks a whole HTTP answer from a gateway: status 200, JSON, no `errors`, then the data. */
export function checkResponse(
  scenario: ScenarioName,
  status: number,
  body: string,
  meta: RequestMeta,
): CheckResult {
  if (status !== 200) return { problem: `HTTP ${status}: ${body.slice(0, 300)}` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { problem: `not JSON: ${body.slice(0, 300)}` };
  }
  if (!isObject(parsed)) return { problem: 'response: object expected' };
  if (parsed.errors !== undefined) return { problem: `errors: ${JSON.stringify(parsed.errors).slice(0, 300)}` };
  return checkData(scenario, parsed.data, meta);
}
