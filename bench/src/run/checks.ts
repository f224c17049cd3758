/**
 * What each scenario's answer must look like. Pure functions of the response data, loaded by the
 * load worker: a gateway that answers fast but wrong must fail the bench, not win it.
 */
export type ScenarioName = 'catalog' | 'my-services' | 'dashboard' | 'mandataire-dossiers' | 'financial-summary' | 'grant-access' | 'analyst';

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
