import { randomUUID } from 'node:crypto';
import { IdentityRole, regionalDirection, RightSet, ServiceRole, stableId, type Viewer } from '@pgamr/kit';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { quebecToday } from '../src/calendar';
import { CLOSED_STATUSES, Dossier, DossierStatus } from '../src/dossier/dossier.entity';
import { Mandate, MandateDossier, MandateLevel } from '../src/mandate/mandate.entity';
import { MandateStatus, mandateStatus } from '../src/mandate/mandate-status';
import { findActiveCoverage } from '../src/mandate/mandate.repository';
import { coverageByDossier, dossierAccess, readableDossierCondition } from '../src/policy';
import { mandatesSubgraph } from '../src/server';

// policy.ts states who reads a dossier twice: dossierAccess (TypeScript, one dossier: dossier(id),
// _entities, changes) and readableDossierCondition (SQL, the paged lists). On generated data, for
// every kind of caller, both must select exactly the same dossiers, and so must the API's paths.

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;

const ORG_A = stableId('organization', 'AGREE-A');
const ORG_B = stableId('organization', 'AGREE-B');
const ORG_C = stableId('organization', 'AGREE-C');
const FIRM = stableId('organization', 'AGREE-FIRM');
const MINISTRY = stableId('organization', 'MIN-MAMH');
const ORGANIZATIONS = [ORG_A, ORG_B, ORG_C];
const [TECQ, PRIMEAU, FIMEAU] = ['TECQ', 'PRIMEAU', 'FIMEAU'].map((code) => stableId('online-service', code)) as [string, string, string];
const SERVICES = [TECQ, PRIMEAU, FIMEAU];
const STATUSES = Object.values(DossierStatus);
const LEVELS = [MandateLevel.Consultation, MandateLevel.Preparation, MandateLevel.Transmission];

const today = quebecToday(new Date());
const addDays = (days: number) => new Date(Date.parse(`${today}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** A mandate's state on the test's day, and the dates (and revocation) that give it. */
const MANDATE_STATES = {
  active: { startsOn: addDays(-10), endsOn: addDays(30), revoked: false },
  activeOpenEnded: { startsOn: today, endsOn: null, revoked: false },
  endingToday: { startsOn: addDays(-30), endsOn: today, revoked: false },
  expired: { startsOn: addDays(-60), endsOn: addDays(-1), revoked: false },
  revoked: { startsOn: addDays(-10), endsOn: addDays(30), revoked: true },
  future: { startsOn: addDays(5), endsOn: addDays(40), revoked: false },
} as const;
type MandateState = keyof typeof MANDATE_STATES;
const IN_FORCE_STATES: readonly MandateState[] = ['active', 'activeOpenEnded', 'endingToday'];

/** One dossier per organization, program and status: `${org}|${service}|${status}` → dossier. */
const dossiers = new Map<string, Dossier>();
const dossierOf = (organizationId: string, serviceId: string, status: DossierStatus) => dossiers.get(`${organizationId}|${serviceId}|${status}`)!;

interface Caller {
  userId: string;
  organizationId: string;
  roles?: string[];
  rights?: Array<{ serviceId: string; organizationId: string; role: ServiceRole }>;
  administers?: string[];
  direction?: string;
}

/** R5: the stand-in Répertoire places A and B in Estrie, C in the Capitale-Nationale. */
const REGIONS: Record<string, string> = { [ORG_A]: '05 Estrie', [ORG_B]: '05 Estrie', [ORG_C]: '03 Capitale-Nationale' };
/** The bodies the Répertoire places in a regional direction's region (the kit's regionalBodiesOf, on REGIONS). */
const regionalBodiesOf = (caller: Caller): ReadonlySet<string> =>
  new Set(caller.direction ? Object.keys(REGIONS).filter((organizationId) => regionalDirection(REGIONS[organizationId]!.slice(0, 2)) === caller.direction) : []);

const MANDATAIRE = randomUUID();
const COLLEAGUE = randomUUID();
const CALLERS: Record<string, Caller> = {
  'a user of the organization with the USER right on two programs': {
    userId: randomUUID(),
    organizationId: ORG_A,
    rights: [TECQ, PRIMEAU].map((serviceId) => ({ serviceId, organizationId: ORG_A, role: ServiceRole.User })),
  },
  'a user of the organization without any right': { userId: randomUUID(), organizationId: ORG_A },
  'a local manager and mandate manager without the USER right (R14)': {
    userId: randomUUID(),
    organizationId: ORG_A,
    roles: [IdentityRole.Rse],
    rights: [ServiceRole.LocalManager, ServiceRole.MandateManager].map((role) => ({ serviceId: TECQ, organizationId: ORG_A, role })),
  },
  "the owner's staff of two programs": { userId: randomUUID(), organizationId: MINISTRY, roles: [IdentityRole.MinistryStaff], administers: [TECQ, FIMEAU] },
  "the Estrie regional direction's staff": { userId: randomUUID(), organizationId: MINISTRY, roles: [IdentityRole.MinistryStaff], direction: regionalDirection('05') },
  'a mandataire with mandates in force, expired, revoked and future, at each level': { userId: MANDATAIRE, organizationId: FIRM },
  'an RSÉ of the mandataire’s firm, with no mandate of their own': { userId: COLLEAGUE, organizationId: FIRM, roles: [IdentityRole.Rse] },
  'a plain user of another organization': { userId: randomUUID(), organizationId: ORG_C },
  'a user of another organization with the USER right on its own program': {
    userId: randomUUID(),
    organizationId: ORG_C,
    rights: [{ serviceId: TECQ, organizationId: ORG_C, role: ServiceRole.User }],
  },
  'a user holding a right that names an organization not their own': {
    userId: randomUUID(),
    organizationId: ORG_C,
    rights: [{ serviceId: TECQ, organizationId: ORG_A, role: ServiceRole.User }],
  },
};

/** The mandataire's mandates: every state at every level, each on its own dossier; ids of the open dossiers in force. */
const mandatedInForce = new Set<string>();

const viewerOf = (caller: Caller): Viewer => ({
  userId: caller.userId,
  organizationId: caller.organizationId,
  roles: caller.roles ?? [],
  ...(caller.direction ? { direction: caller.direction } : {}),
  sessionId: randomUUID(),
  passwordChangeRequired: false,
});
const rightsOf = (caller: Caller) =>
  new RightSet(
    (caller.rights ?? []).map((right) => ({ ...right, validUntil: null })),
    caller.administers ?? [],
  );

async function seed(): Promise<void> {
  const em = subgraph.database.orm.em.fork();
  for (const organizationId of ORGANIZATIONS) {
    for (const serviceId of SERVICES) {
      for (const status of STATUSES) {
        const dossier = em.create(Dossier, { organizationId, serviceId, status, title: `Dossier ${status}`, requestedAmount: '1000.00', createdBy: randomUUID() });
        dossiers.set(`${organizationId}|${serviceId}|${status}`, dossier);
      }
    }
  }
  const grant = (state: MandateState, level: MandateLevel, named: Dossier[], mandataireId = MANDATAIRE) => {
    const { startsOn, endsOn, revoked } = MANDATE_STATES[state];
    const { organizationId, serviceId } = named[0]!;
    const mandate = em.create(Mandate, {
      organizationId,
      serviceId,
      firmOrganizationId: FIRM,
      mandataireId,
      mandataireName: 'Mandataire de la firme',
      level,
      startsOn,
      endsOn,
      grantedBy: randomUUID(),
      ...(revoked ? { revokedAt: new Date(), revokedBy: randomUUID() } : {}),
    });
    for (const dossier of named) {
      em.create(MandateDossier, { mandate, dossier });
      if (IN_FORCE_STATES.includes(state) && mandataireId === MANDATAIRE && !CLOSED_STATUSES.includes(dossier.status)) mandatedInForce.add(dossier.id);
    }
  };
  // Every state at every level, on open dossiers of two organizations and three programs.
  const open = ORGANIZATIONS.slice(0, 2).flatMap((org) => SERVICES.flatMap((service) => [DossierStatus.Draft, DossierStatus.Submitted, DossierStatus.InReview].map((status) => dossierOf(org, service, status))));
  let next = 0;
  for (const state of Object.keys(MANDATE_STATES) as MandateState[]) {
    for (const level of LEVELS) grant(state, level, [open[next++ % open.length]!]);
  }
  // In force by its dates, but on closed dossiers: ended with them (R16).
  for (const level of LEVELS) grant('active', level, [dossierOf(ORG_A, TECQ, DossierStatus.Accepted), dossierOf(ORG_B, PRIMEAU, DossierStatus.Refused)]);
  // One mandate on an open and a closed dossier; two mandates at different levels on one dossier.
  grant('active', MandateLevel.Consultation, [dossierOf(ORG_C, FIMEAU, DossierStatus.Draft), dossierOf(ORG_C, FIMEAU, DossierStatus.Accepted)]);
  grant('active', MandateLevel.Consultation, [dossierOf(ORG_C, PRIMEAU, DossierStatus.Submitted)]);
  grant('active', MandateLevel.Transmission, [dossierOf(ORG_C, PRIMEAU, DossierStatus.Submitted)]);
  // A colleague's mandate is not the mandataire's, nor the firm's RSÉ's.
  grant('active', MandateLevel.Transmission, [dossierOf(ORG_B, FIMEAU, DossierStatus.Accepted), dossierOf(ORG_C, TECQ, DossierStatus.Draft)], randomUUID());
  await em.flush();
}

/** The dossiers the SQL condition selects for the caller, as the paged lists use it. */
async function selectedBySql(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): Promise<string[]> {
  const em = subgraph.database.orm.em.fork();
  const mandated = [...coverageByDossier(await findActiveCoverage(em, [viewer.userId], today)).keys()];
  const condition = readableDossierCondition(viewer, rights, mandated, regionalBodies);
  if (!condition) return [];
  return (await em.find(Dossier, condition)).map((dossier) => dossier.id).sort();
}

/** The dossiers dossierAccess lets the caller read, one by one. */
async function acceptedByTypeScript(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): Promise<string[]> {
  const em = subgraph.database.orm.em.fork();
  const coverage = coverageByDossier(await findActiveCoverage(em, [viewer.userId], today));
  return [...dossiers.values()]
    .filter((dossier) => dossierAccess(viewer, rights, dossier, coverage.get(dossier.id), regionalBodies).read)
    .map((dossier) => dossier.id)
    .sort();
}

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { seedDemoData: false, jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl, directoryUrl: issuer.directoryUrl });
  for (const caller of Object.values(CALLERS)) {
    for (const right of caller.rights ?? []) issuer.grant(caller.userId, right);
    for (const serviceId of caller.administers ?? []) issuer.administer(caller.userId, serviceId);
  }
  for (const [organizationId, region] of Object.entries(REGIONS)) issuer.placeInRegion(organizationId, region);
  await seed();
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

describe('R5, R15, R17, R20: the SQL condition and dossierAccess select the same dossiers', () => {
  it('generates every status in every program of every organization, and mandates in each state at each level', () => {
    expect(dossiers.size).toBe(ORGANIZATIONS.length * SERVICES.length * STATUSES.length);
    expect(mandatedInForce.size).toBeGreaterThanOrEqual(IN_FORCE_STATES.length * LEVELS.length);
  });

  it.each(Object.keys(CALLERS))('%s: readableDossierCondition and dossierAccess agree', async (name) => {
    const caller = CALLERS[name]!;
    const [viewer, rights, regionalBodies] = [viewerOf(caller), rightsOf(caller), regionalBodiesOf(caller)];
    expect(await selectedBySql(viewer, rights, regionalBodies)).toEqual(await acceptedByTypeScript(viewer, rights, regionalBodies));
  });

  it('R14, R15, R17, R20: and both say what the rules say, on the data', async () => {
    const readBy = async (name: string) => acceptedByTypeScript(viewerOf(CALLERS[name]!), rightsOf(CALLERS[name]!), regionalBodiesOf(CALLERS[name]!));
    const ids = (list: Dossier[]) => list.map((dossier) => dossier.id).sort();
    const all = [...dossiers.values()];
    expect(await readBy('a user of the organization with the USER right on two programs')).toEqual(
      ids(all.filter((d) => d.organizationId === ORG_A && [TECQ, PRIMEAU].includes(d.serviceId))),
    );
    expect(await readBy("the owner's staff of two programs")).toEqual(ids(all.filter((d) => [TECQ, FIMEAU].includes(d.serviceId))));
    // R5, R20: the regional direction reads its region's bodies' dossiers, every program.
    expect(await readBy("the Estrie regional direction's staff")).toEqual(ids(all.filter((d) => [ORG_A, ORG_B].includes(d.organizationId))));
    expect(await readBy('a mandataire with mandates in force, expired, revoked and future, at each level')).toEqual([...mandatedInForce].sort());
    expect(await readBy('a user of another organization with the USER right on its own program')).toEqual(
      ids(all.filter((d) => d.organizationId === ORG_C && d.serviceId === TECQ)),
    );
    for (const nobody of [
      'a user of the organization without any right',
      'a local manager and mandate manager without the USER right (R14)',
      'an RSÉ of the mandataire’s firm, with no mandate of their own',
      'a plain user of another organization',
      'a user holding a right that names an organization not their own',
    ]) {
      expect(await readBy(nobody)).toEqual([]);
    }
  });

  it('R16: a mandate is in force for the coverage query exactly when its status says ACTIVE', async () => {
    const em = subgraph.database.orm.em.fork();
    const links = await em.find(MandateDossier, {}, { populate: ['mandate', 'dossier'] });
    const mandates = new Map(links.map((link) => [link.mandate.id, link.mandate.$]));
    const openCount = (mandateId: string) => links.filter((link) => link.mandate.id === mandateId && !CLOSED_STATUSES.includes(link.dossier.$.status)).length;
    const active = [...mandates.values()].filter((mandate) => mandateStatus(mandate, today, openCount(mandate.id)) === MandateStatus.Active).map((mandate) => mandate.id);
    const mandataires = [...new Set([...mandates.values()].map((mandate) => mandate.mandataireId))];
    const inForce = new Set((await findActiveCoverage(em, mandataires, today)).map((entry) => entry.mandateId));
    expect([...inForce].sort()).toEqual(active.sort());
    expect(active.length).toBeGreaterThan(0);
    expect(active.length).toBeLessThan(mandates.size);
  });

  it.each(Object.keys(CALLERS))('%s: the API lists (SQL) and opens one by one (dossierAccess) the same dossiers', async (name) => {
    const caller = CALLERS[name]!;
    const token = await issuer.mint({ userId: caller.userId, organizationId: caller.organizationId, roles: caller.roles ?? [], ...(caller.direction ? { direction: caller.direction } : {}) });
    const headers = { authorization: `Bearer ${token}` };
    const expected = await acceptedByTypeScript(viewerOf(caller), rightsOf(caller), regionalBodiesOf(caller));
    const listed = await execute<{ dossiers: { nodes: Array<{ id: string }>; totalCount: number } }>(
      subgraph.url,
      '{ dossiers(first: 100) { nodes { id } totalCount } }',
      {},
      headers,
    );
    expect(listed.errors).toBeUndefined();
    expect(listed.data!.dossiers.nodes.map((node) => node.id).sort()).toEqual(expected);
    expect(listed.data!.dossiers.totalCount).toBe(expected.length);
    const opened = await execute<{ _entities: Array<{ id: string } | null> }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { id } } }',
      { r: [...dossiers.values()].map((dossier) => ({ __typename: 'Dossier', id: dossier.id })) },
      headers,
    );
    expect(opened.errors).toBeUndefined();
    expect(opened.data!._entities.flatMap((entity) => (entity ? [entity.id] : [])).sort()).toEqual(expected);
  });
});
