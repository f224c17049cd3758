import type { RequestMeta, ScenarioName } from './checks';
import type { LoadItem } from './load-types';
import type { AccessGrant, BenchManifest, PersonaKind, Viewer } from './manifest';

/** One benchmarked operation and who sends it. */
export interface Scenario {
  name: ScenarioName;
  title: string;
  operationName: string;
  query: string;
  /** The manifest list whose users send it. */
  persona: PersonaKind | 'accessGrants';
  /** A mutation: each request is a distinct grant, and state is restored between runs. */
  mutation: boolean;
}

export const SCENARIO_NAMES: readonly ScenarioName[] = [
  'catalog',
  'my-services',
  'dashboard',
  'mandataire-dossiers',
  'financial-summary',
  'grant-access',
  'analyst',
  'analyst-late-reports',
  'analyst-mandates',
  'analyst-users',
  'analyst-access-requests',
];

/**
 * The last fiscal year of the data set's financial reports (FISCAL_YEARS in
 * bench/src/data/reference.ts), whose deadline, 30 June of the next year, is past (R18).
 */
export const LAST_CLOSED_FISCAL_YEAR = 2025;

const DOSSIER_SUMMARY = `
      id
      title
      status
      requestedAmount
      updatedAt
      service { id code name }
      organization { id name }`;

/**
 * The scenarios. The dashboard shows each dossier's mandates in force with the mandataire's
 * name (`mandataireName`, kept on the mandate) and the firm's name from identity:
 * `mandataire { givenName }` is null for most viewers (identity hides firm users from them) and
 * the gateways disagree on how to answer a null entity (Hive Gateway adds an error where
 * @apollo/gateway does not), which would fail the comparison.
 */
export function buildScenarios(): Scenario[] {
  const mandates = `
      mandates: activeMandates {
        nodes {
          id
          status
          level
          startsOn
          mandataireName
          firm { id name }
        }
      }`;
  const scenarios: Scenario[] = [
    {
      name: 'catalog',
      title: 'Public catalog of online services',
      operationName: 'OnlineServicesCatalog',
      persona: 'municipalUsers',
      mutation: false,
      query: `query OnlineServicesCatalog {
  onlineServices(first: 100) {
    totalCount
    nodes {
      id
      code
      name
      description
      status
      sector { code name }
      owner { ministry directionName }
    }
  }
}`,
    },
    {
      name: 'my-services',
      title: '« Mes services en ligne » of a user',
      operationName: 'MyOnlineServices',
      persona: 'municipalUsers',
      mutation: false,
      query: `query MyOnlineServices {
  me {
    id
    givenName
    familyName
    organization { id name }
    onlineServices {
      sector { code name }
      services {
        roles
        service { id code name supportContact { name phone email } }
      }
    }
  }
}`,
    },
    {
      name: 'dashboard',
      title: "An organization's dashboard: 50 dossiers with service, organization and mandates",
      operationName: 'OrganizationDashboard',
      persona: 'dashboardUsers',
      mutation: false,
      query: `query OrganizationDashboard($organizationId: ID!) {
  organization(id: $organizationId) {
    id
    name
    dossiers(first: 50) {
      totalCount
      pageInfo { endCursor hasNextPage }
      nodes {${DOSSIER_SUMMARY}${mandates}
      }
    }
  }
}`,
    },
    {
      name: 'mandataire-dossiers',
      title: "A mandataire's dossiers",
      operationName: 'MandataireDossiers',
      persona: 'mandataires',
      mutation: false,
      query: `query MandataireDossiers {
  dossiers(first: 50) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes {${DOSSIER_SUMMARY}
    }
  }
}`,
    },
    {
      name: 'financial-summary',
      title: 'Financial summary over ten years',
      operationName: 'FinancialSummary',
      persona: 'financialSummaryReaders',
      mutation: false,
      query: `query FinancialSummary($organizationId: ID!) {
  organization(id: $organizationId) {
    id
    name
    financialSummary {
      nodes {
        fiscalYear
        status
        deadline
        isLate
        transmittedVersion
        transmittedAt
        totalRevenue
        totalExpenses
        annualSurplus
        longTermDebt
        accumulatedSurplus
        population
      }
    }
  }
}`,
    },
    {
      name: 'grant-access',
      title: 'Granting an access right (mutation)',
      operationName: 'GrantAccess',
      persona: 'accessGrants',
      mutation: true,
      query: `mutation GrantAccess($requestId: ID!) {
  decideAccessRequest(input: { accessRequestId: $requestId, decision: GRANT }) {
    accessRequest {
      id
      status
      decidedAt
      service { id code name }
    }
  }
}`,
    },
    {
      // Issue 18: an organization's manager's figures over its programs' dossiers (the dashboard's
      // users: managers who also work in a program of 50 dossiers or more), one statement in mandates.
      name: 'analyst',
      title: "Figures of an organization's dossiers by program, status and year (dossierStatistics)",
      operationName: 'AnalystFigures',
      persona: 'dashboardUsers',
      mutation: false,
      query: `query AnalystFigures {
  dossierStatistics(groupBy: [PROGRAM, STATUS, SUBMISSION_YEAR]) {
    groups {
      program { id code name }
      status
      submissionYear
      dossierCount
      requestedAmount
      acceptedAmount
      medianDaysInReview
    }
    total { dossierCount requestedAmount acceptedAmount medianDaysInReview }
  }
}`,
    },
    {
      // Issue 18, R5, R13, R18, R20: which bodies of their region are late with the last closed
      // year's report, those that never opened it included, asked by a regional direction's staff
      // (mandates asks identity's geography for the bodies of the region; identity names them).
      name: 'analyst-late-reports',
      title: `Late financial reports of ${LAST_CLOSED_FISCAL_YEAR} by body, missing ones included, for a regional direction (financialReportStatistics)`,
      operationName: 'AnalystLateReports',
      persona: 'regionalDirections',
      mutation: false,
      query: `query AnalystLateReports {
  financialReportStatistics(groupBy: [ORGANIZATION], filter: { fiscalYears: [${LAST_CLOSED_FISCAL_YEAR}], late: true, countMissingReports: true }) {
    groups {
      organization { id name }
      reportCount
      missingCount
      transmittedCount
      lateCount
      medianDaysLate
    }
    total { reportCount missingCount transmittedCount lateCount medianDaysLate }
  }
}`,
    },
    {
      // Issue 18, R15, R16, R20: mandates per firm and level, for a firm's RSÉ (those their firm
      // received) or a mandating organization's manager (those it gave in their services).
      name: 'analyst-mandates',
      title: 'Mandates by firm and level, for a firm’s RSÉ or a mandating organization’s manager (mandateStatistics)',
      operationName: 'AnalystMandates',
      persona: 'mandateAnalysts',
      mutation: false,
      query: `query AnalystMandates {
  mandateStatistics(groupBy: [FIRM, LEVEL]) {
    groups {
      firm { id name }
      level
      mandateCount
      mandataireCount
      dossierCount
    }
    total { mandateCount mandataireCount dossierCount }
  }
}`,
    },
    {
      // Issue 18, R2, R5, R20: users per organization kind and status over the organizations of
      // a regional direction's region (identity alone).
      name: 'analyst-users',
      title: 'Users by organization kind and status, for a regional direction (userStatistics)',
      operationName: 'AnalystUsers',
      persona: 'regionalDirections',
      mutation: false,
      query: `query AnalystUsers {
  userStatistics(groupBy: [ORGANIZATION_KIND, STATUS]) {
    groups {
      organizationKind
      status
      userCount
      organizationCount
      rseCount
    }
    total { userCount organizationCount rseCount }
  }
}`,
    },
    {
      // Issue 18, R8, R10, R20: pending requests per service and kind, for an organization's local
      // manager (or deputy in their period) with requests waiting on a service they manage.
      name: 'analyst-access-requests',
      title: 'Pending access requests by service and kind, for a local manager (accessRequestStatistics)',
      operationName: 'AnalystAccessRequests',
      persona: 'accessRequestAnalysts',
      mutation: false,
      query: `query AnalystAccessRequests {
  accessRequestStatistics(groupBy: [SERVICE, KIND]) {
    groups {
      service { id code name }
      kind
      pendingCount
      medianAgeDays
      oldestAgeDays
    }
    total { pendingCount medianAgeDays oldestAgeDays }
  }
}`,
    },
  ];
  return scenarios;
}

/** A pool of requests for a scenario: users (or grants) in a shuffled order, each with its variables. */
export interface RequestPool {
  viewers: Viewer[];
  items: Array<{ viewer: Viewer; variables: Record<string, unknown>; meta: RequestMeta; grant?: AccessGrant & { requestId: string } }>;
}

/** The users of a query scenario: up to `maxUsers` distinct ones from its manifest list, shuffled with the manifest's seed. */
export function queryPool(scenario: Scenario, manifest: BenchManifest, maxUsers: number): RequestPool {
  if (scenario.persona === 'accessGrants') throw new Error('queryPool: the mutation uses grantPool');
  const listed = manifest.personas[scenario.persona] ?? [];
  if (listed.length === 0) throw new Error(`${scenario.name}: the manifest lists no ${scenario.persona}; run \`npm run bench:data\` again`);
  const viewers = shuffle(unique(listed), manifest.seed).slice(0, maxUsers);
  const items = viewers.map((viewer) => ({
    viewer,
    variables: scenario.query.includes('$organizationId') ? { organizationId: viewer.organizationId } : {},
    meta: { userId: viewer.userId, organizationId: viewer.organizationId },
  }));
  return { viewers, items };
}

/** The mutation's requests: one per grant, each deciding its own pending request (ids made here). */
export function grantPool(grants: ReadonlyArray<AccessGrant & { requestId: string }>): RequestPool {
  const items = grants.map((grant) => ({
    viewer: grant.manager,
    variables: { requestId: grant.requestId },
    meta: { userId: grant.manager.userId, organizationId: grant.manager.organizationId, requestId: grant.requestId },
    grant,
  }));
  return { viewers: unique(grants.map((grant) => grant.manager)), items };
}

/** The load worker's form of a pool: tokens once, items pointing at them. */
export function toLoadItems(pool: RequestPool, tokenOf: (userId: string) => string): { tokens: string[]; items: LoadItem[] } {
  const tokens: string[] = [];
  const indexOf = new Map<string, number>();
  const items = pool.items.map(({ viewer, variables, meta }) => {
    let index = indexOf.get(viewer.userId);
    if (index === undefined) {
      index = tokens.push(tokenOf(viewer.userId)) - 1;
      indexOf.set(viewer.userId, index);
    }
    return { token: index, variables, meta };
  });
  return { tokens, items };
}

function unique(viewers: readonly Viewer[]): Viewer[] {
  return [...new Map(viewers.map((viewer) => [viewer.userId, viewer])).values()];
}

/** Fisher–Yates with a small seeded generator (mulberry32): the same order for the same data set. */
function shuffle<T>(values: readonly T[], seed: number): T[] {
  const result = [...values];
  let state = seed >>> 0 || 0x9e3779b9;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}
