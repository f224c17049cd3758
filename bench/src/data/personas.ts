import { ACCESS_MANAGER_ROLES, IdentityRole, regionalDirectionOfRegion } from '@pgamr/kit';
import { canAct, type AccessRightRow, type DataSet, type UserRow } from './model';
import type { Random } from './random';
import {
  CLOSED_STATUSES,
  DOSSIER_ROLES,
  FISCAL_YEARS,
  Kind,
  MANDATE_GIVER_ROLES,
  PERFORM,
  PROGRAMS,
  REFERENCE_TIME,
  REPORT_READER_ROLES,
  Role,
  WORKING_ROLES,
  dayFromReference,
  serviceId,
} from './reference';

/** The claims identity would put in the viewer's access token (identity's tokens.ts identityRoles), and how to sign in as them. */
export interface Viewer {
  userId: string;
  organizationId: string;
  roles: string[];
  direction?: string;
  /** To sign in through identity instead (every generated user has identity's demo password). */
  clicSequrCode: string;
}

export interface Personas {
  municipalUsers: Viewer[];
  dashboardUsers: Array<Viewer & { visibleDossiers: number; mandatedDossiers: number }>;
  mandataires: Array<Viewer & { coveredDossiers: number }>;
  financialSummaryReaders: Array<Viewer & { transmittedYears: number }>;
  accessGrants: Array<{ manager: Viewer; targetUserId: string; serviceId: string; role: 'USER' }>;
  /** Issue 18's analysts: a regional direction's staff, with the municipal bodies of their region. */
  regionalDirections: Array<Viewer & { direction: string; regionalBodies: number }>;
  /** Issue 18's analysts: a firm's RSÉ or a mandating organization's manager, with the mandates their figures count. */
  mandateAnalysts: Array<Viewer & { countedMandates: number }>;
  /** Issue 18's analysts: an organization's access manager, with the pending requests their figures count. */
  accessRequestAnalysts: Array<Viewer & { pendingRequests: number }>;
}

// Identity's identityRoles (auth/tokens.ts): RSÉ, and ministry staff for a ministry user with a
// direction; generated users are never CSE agents. The direction goes in the token as identity puts it.
const viewer = (user: UserRow): Viewer => ({
  userId: user.id,
  organizationId: user.org.id,
  roles: [...(user.isRse ? [IdentityRole.Rse] : []), ...(user.org.kind === Kind.Ministry && user.direction ? [IdentityRole.MinistryStaff] : [])],
  ...(user.direction ? { direction: user.direction } : {}),
  clicSequrCode: user.clicSequrCode,
});

/** Services' isActive, on the reference day. */
const inForce = (right: AccessRightRow) =>
  !right.revokedAt && right.validFrom.getTime() <= REFERENCE_TIME && (!right.validUntil || right.validUntil.getTime() > REFERENCE_TIME);

/**
 * The viewers the benchmark scenarios need, each chosen by the rule the subgraph applies to
 * them (cited below), on the generated rows themselves: whoever is listed can do the scenario.
 */
export function choosePersonas(random: Random, data: DataSet, scale: number): Personas {
  const today = dayFromReference(0);
  const rightsOf = new Map<string, AccessRightRow[]>();
  for (const right of data.accessRights.filter(inForce)) {
    const list = rightsOf.get(right.userId) ?? [];
    list.push(right);
    rightsOf.set(right.userId, list);
  }
  const programIds = new Set(PROGRAMS);
  const actors = data.users.filter(canAct);

  // Mandates' findActiveCoverage: not revoked, started, not ended, on dossiers still open.
  const openDossiers = new Set(data.dossiers.filter((d) => !CLOSED_STATUSES.includes(d.status)).map((d) => d.id));
  const coverage = new Map<string, Set<string>>();
  const mandated = new Set<string>();
  for (const mandate of data.mandates) {
    if (mandate.revokedAt || mandate.startsOn > today || (mandate.endsOn && mandate.endsOn < today)) continue;
    for (const dossierId of mandate.dossierIds.filter((id) => openDossiers.has(id))) {
      const covered = coverage.get(mandate.mandataireId) ?? new Set<string>();
      covered.add(dossierId);
      coverage.set(mandate.mandataireId, covered);
      mandated.add(dossierId);
    }
  }
  const dossiersOf = new Map<string, Array<{ id: string }>>();
  for (const dossier of data.dossiers) {
    const key = `${dossier.organizationId}|${dossier.serviceCode}`;
    const list = dossiersOf.get(key) ?? [];
    list.push(dossier);
    dossiersOf.set(key, list);
  }

  // Services' User.onlineServices (R9): a user's own services in force, grouped by sector.
  const municipalUsers = actors.filter((user) => user.org.municipal && (rightsOf.get(user.id)?.length ?? 0) > 0).map(viewer);

  // Mandates' Organization.dossiers (R14, R17): a user of the organization with a working role on
  // its programs lists the dossiers of those programs; kept when a page of 50 is full. The
  // dashboard shows each dossier's mandates in force, which only the program's managers read
  // (Dossier.activeMandates): its users are local or mandate managers of a program they see.
  const dashboardUsers = actors
    .filter((user) => !user.org.firm)
    .flatMap((user) => {
      const own = (rightsOf.get(user.id) ?? []).filter((right) => right.organizationId === user.org.id && programIds.has(right.serviceCode));
      const programs = own.filter((right) => DOSSIER_ROLES.includes(right.role)).map((right) => right.serviceCode);
      const manages = (code: string) => own.some((right) => right.serviceCode === code && (right.role === Role.LocalManager || right.role === Role.MandateManager));
      if (!programs.some(manages)) return [];
      const visible = [...new Set(programs)].flatMap((code) => dossiersOf.get(`${user.org.id}|${code}`) ?? []);
      return visible.length >= 50
        ? [{ ...viewer(user), visibleDossiers: visible.length, mandatedDossiers: visible.filter((d) => mandated.has(d.id)).length }]
        : [];
    });

  // Mandates' Query.dossiers for a mandataire (R15): exactly the dossiers of their active mandates.
  const mandataires = actors
    .filter((user) => user.org.firm && (coverage.get(user.id)?.size ?? 0) > 0)
    .map((user) => ({ ...viewer(user), coveredDossiers: coverage.get(user.id)!.size }));

  // Mandates' reportReading (R13, R19): a PERFORM reader role on their own body, whose ten years were transmitted.
  const transmittedYears = new Map<string, Set<number>>();
  const reportById = new Map(data.financialReports.map((report) => [report.id, report]));
  for (const version of data.reportVersions) {
    const report = reportById.get(version.reportId)!;
    const years = transmittedYears.get(report.organizationId) ?? new Set<number>();
    years.add(report.fiscalYear);
    transmittedYears.set(report.organizationId, years);
  }
  const financialSummaryReaders = actors
    .filter(
      (user) =>
        user.org.municipal &&
        (transmittedYears.get(user.org.id)?.size ?? 0) >= FISCAL_YEARS.length &&
        (rightsOf.get(user.id) ?? []).some((right) => right.serviceCode === PERFORM && right.organizationId === user.org.id && REPORT_READER_ROLES.includes(right.role)),
    )
    .map((user) => ({ ...viewer(user), transmittedYears: transmittedYears.get(user.org.id)!.size }));

  // Services' requestAccess + decideAccessRequest (R8): the target asks (no working role on the
  // service yet, no pending request), the organization's local manager in force grants.
  const pending = new Set(data.accessRequests.filter((r) => r.status === 'PENDING').map((r) => `${r.userId}|${r.serviceCode}`));
  const grants: Personas['accessGrants'] = [];
  const byOrganization = new Map<string, UserRow[]>();
  for (const user of actors) {
    const members = byOrganization.get(user.org.id) ?? [];
    members.push(user);
    byOrganization.set(user.org.id, members);
  }
  for (const [organizationId, members] of byOrganization) {
    const managers = new Map<string, UserRow>();
    for (const member of members) {
      for (const right of rightsOf.get(member.id) ?? []) {
        if (right.organizationId === organizationId && right.role === Role.LocalManager && programIds.has(right.serviceCode)) managers.set(right.serviceCode, member);
      }
    }
    for (const [code, manager] of managers) {
      for (const target of members) {
        if (target === manager || pending.has(`${target.id}|${code}`)) continue;
        const works = (rightsOf.get(target.id) ?? []).some((r) => r.organizationId === organizationId && r.serviceCode === code && WORKING_ROLES.includes(r.role));
        if (!works) grants.push({ manager: viewer(manager), targetUserId: target.id, serviceId: serviceId(code), role: 'USER' });
      }
    }
  }
  // A bounded, seeded selection: each grant can be made once, a run takes what it needs.
  const accessGrants = random.sample(grants, Math.ceil(30_000 * scale));
  return {
    municipalUsers,
    dashboardUsers,
    mandataires,
    financialSummaryReaders,
    accessGrants,
    ...chooseAnalysts(data, actors, rightsOf),
  };
}

/**
 * Issue 18's analysts other than the dashboard's managers, each chosen by the rule the subgraph
 * applies to their figures, and kept only when those figures count something.
 */
function chooseAnalysts(
  data: DataSet,
  actors: readonly UserRow[],
  rightsOf: ReadonlyMap<string, AccessRightRow[]>,
): Pick<Personas, 'regionalDirections' | 'mandateAnalysts' | 'accessRequestAnalysts'> {
  // Kit's regionalBodiesOf (R5, R20): a regional direction's staff follow the municipal bodies the
  // Répertoire places in their region; mandates' reportStatisticsScope (R13, R18) then counts
  // those bodies' reports, and the missing ones, and identity's userStatisticsCondition (R2) their
  // users. Ministry staff with a DR-xx direction, whose region has bodies.
  const bodiesByDirection = new Map<string, number>();
  for (const organization of data.organizations.filter((o) => o.municipal)) {
    const direction = regionalDirectionOfRegion(organization.administrativeRegion);
    if (direction) bodiesByDirection.set(direction, (bodiesByDirection.get(direction) ?? 0) + 1);
  }
  const regionalDirections = actors
    .filter((user) => user.org.kind === Kind.Ministry && user.direction && (bodiesByDirection.get(user.direction) ?? 0) > 0)
    .map((user) => ({ ...viewer(user), direction: user.direction!, regionalBodies: bodiesByDirection.get(user.direction!)! }));

  // Mandates' mandateStatisticsCondition (R15, R16, R20): a firm's RSÉ counts the mandates their
  // firm received (managesFirm); an organization's local manager, deputy or mandate manager
  // (servicesMandatedBy) the mandates it gave in the services they mandate in.
  const received = new Map<string, number>();
  const given = new Map<string, number>();
  for (const mandate of data.mandates) {
    received.set(mandate.firmOrganizationId, (received.get(mandate.firmOrganizationId) ?? 0) + 1);
    const key = `${mandate.organizationId}|${mandate.serviceCode}`;
    given.set(key, (given.get(key) ?? 0) + 1);
  }
  const mandatedServices = (user: UserRow) =>
    new Set(
      (rightsOf.get(user.id) ?? [])
        .filter((right) => right.organizationId === user.org.id && MANDATE_GIVER_ROLES.includes(right.role))
        .map((right) => right.serviceCode),
    );
  const mandateAnalysts = actors.flatMap((user) => {
    const counted = user.org.firm
      ? user.isRse
        ? (received.get(user.org.id) ?? 0)
        : 0
      : [...mandatedServices(user)].reduce((sum, code) => sum + (given.get(`${user.org.id}|${code}`) ?? 0), 0);
    return counted > 0 ? [{ ...viewer(user), countedMandates: counted }] : [];
  });

  // Services' accessRequestStatisticsCondition (R8, R10, R20): an organization's local manager,
  // or deputy in their period (holdsManagerPowers, rights in force), counts their organization's
  // pending ordinary requests on the services they manage.
  const pendingAccess = new Map<string, number>();
  for (const request of data.accessRequests) {
    if (request.status !== 'PENDING' || request.kind !== 'ACCESS') continue;
    const key = `${request.organizationId}|${request.serviceCode}`;
    pendingAccess.set(key, (pendingAccess.get(key) ?? 0) + 1);
  }
  const accessRequestAnalysts = actors.flatMap((user) => {
    const managed = new Set(
      (rightsOf.get(user.id) ?? [])
        .filter((right) => right.organizationId === user.org.id && ACCESS_MANAGER_ROLES.includes(right.role))
        .map((right) => right.serviceCode),
    );
    const pending = [...managed].reduce((sum, code) => sum + (pendingAccess.get(`${user.org.id}|${code}`) ?? 0), 0);
    return pending > 0 ? [{ ...viewer(user), pendingRequests: pending }] : [];
  });
  return { regionalDirections, mandateAnalysts, accessRequestAnalysts };
}
