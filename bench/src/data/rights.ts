import { canAct, type AccessRequestRow, type AccessRightRow, type AuditRow, type OrganizationRow, type UserRow } from './model';
import { directorOf, treasurerOf } from './organizations';
import type { Random } from './random';
import { CUSTOMER_DATA, DAY_MS, Kind, MINISTRY_ORGANIZATION_ID, PERFORM, PROGRAMS, REFERENCE_TIME, Role, ownerStaffOf, serviceId } from './reference';

/** Who works in one program of one organization. */
export interface ProgramStaff {
  code: string;
  localManager: UserRow;
  mandateManager: UserRow | null;
  /** Users holding the USER role in force (the local manager included, R14). */
  users: UserRow[];
}

/** R13: the people of a municipal body's PERFORM reports. */
export interface PerformStaff {
  respondent: UserRow;
  preparers: UserRow[];
  reviewer: UserRow | null;
  signatory: UserRow;
  transmitter: UserRow;
  externalAuditor: UserRow;
}

export interface OrganizationStaff {
  programs: ProgramStaff[];
  perform: PerformStaff | null;
}

/** How likely a body is to take part in each program (TECQ: nearly every municipality). */
const PROGRAM_TAKE_UP: Record<string, number> = { TECQ: 0.97, PRIMEAU: 0.7, FIMEAU: 0.45, PRACIM: 0.6, RÉCIM: 0.55, PRABAM: 0.75 };

const rightSnapshot = (right: AccessRightRow) => ({
  userId: right.userId,
  organizationId: right.organizationId,
  serviceId: serviceId(right.serviceCode),
  role: right.role,
  validFrom: right.validFrom.toISOString(),
  validUntil: right.validUntil?.toISOString() ?? null,
  revokedAt: right.revokedAt?.toISOString() ?? null,
});

/**
 * Access rights (services subgraph) that make the mass usable: in every body, local managers of
 * its programs (named by the owner's staff, R8), users of several programs, mandate managers and
 * deputies (R10, R11), the Répertoire service for its RSÉ (R5), and in municipal bodies the
 * PERFORM roles given by the répondant (R13), the external auditor from a firme de vérificateur.
 * Pending and refused requests too, and the audit trail of it all (R21).
 */
export function generateRights(random: Random, organizations: readonly OrganizationRow[]) {
  const rights: AccessRightRow[] = [];
  const requests: AccessRequestRow[] = [];
  const audit: AuditRow[] = [];
  const staff = new Map<string, OrganizationStaff>();
  const userById = new Map(organizations.flatMap((o) => o.users).map((u) => [u.id, u]));
  // Grantors outside the generated users are the ministry's demo staff.
  const organizationOf = (userId: string) => userById.get(userId)?.org.id ?? MINISTRY_ORGANIZATION_ID;

  /** A moment after `after` (a few days to weeks), never past the reference day. */
  const later = (after: Date | number, maxDays = 45) =>
    new Date(Math.min(REFERENCE_TIME - DAY_MS, new Date(after).getTime() + random.int(1, maxDays) * DAY_MS + random.int(0, 8 * 3600) * 1000));

  const grant = (
    user: UserRow,
    organization: OrganizationRow,
    serviceCode: string,
    role: Role,
    grantedBy: string,
    grantedAt: Date,
    action: string,
    period: { validFrom?: Date; validUntil?: Date | null } = {},
  ): AccessRightRow => {
    const right: AccessRightRow = {
      id: random.uuid(),
      userId: user.id,
      organizationId: organization.id,
      serviceCode,
      role,
      validFrom: period.validFrom ?? grantedAt,
      validUntil: period.validUntil ?? null,
      grantedBy,
      grantedAt,
      revokedAt: null,
      revokedBy: null,
    };
    rights.push(right);
    audit.push({
      id: random.uuid(),
      occurredAt: grantedAt,
      actorUserId: grantedBy,
      actorOrganizationId: organizationOf(grantedBy),
      organizationId: organization.id,
      serviceId: serviceId(serviceCode),
      action,
      targetType: 'AccessRight',
      targetId: right.id,
      before: null,
      after: rightSnapshot(right),
    });
    return right;
  };
  const revoke = (right: AccessRightRow, by: string, at: Date, action: string, note: Record<string, unknown> = {}) => {
    const before = rightSnapshot(right);
    right.revokedAt = at;
    right.revokedBy = by;
    audit.push({
      id: random.uuid(),
      occurredAt: at,
      actorUserId: by,
      actorOrganizationId: organizationOf(by),
      organizationId: right.organizationId,
      serviceId: serviceId(right.serviceCode),
      action,
      targetType: 'AccessRight',
      targetId: right.id,
      before,
      after: { ...rightSnapshot(right), ...note },
    });
  };
  const auditingFirms = organizations.filter((o) => o.kind === Kind.AuditingFirm && o.users.some(canAct));

  for (const organization of organizations.filter((o) => !o.firm)) {
    const actors = organization.users.filter(canAct);
    const director = directorOf(organization);
    const treasurer = treasurerOf(organization);
    const local = organization.kind === Kind.LocalMunicipality;
    const programs = PROGRAMS.filter((code) => random.chance(local ? PROGRAM_TAKE_UP[code] ?? 0.5 : organization.municipal ? 0.45 : 0.3));
    for (const code of ['TECQ', 'PRABAM']) if (programs.length < 2 && !programs.includes(code)) programs.push(code);

    // Each user's part: the program team works in every program, staff in a few, finance people in PERFORM, others in nothing yet.
    const holders = new Map<string, UserRow[]>(programs.map((code) => [code, [director]]));
    const finance: UserRow[] = [];
    for (const user of actors) {
      if (user === director) continue;
      const draw = user === treasurer ? 0.75 : random.next();
      if (draw < 0.25) for (const code of programs) holders.get(code)!.push(user);
      else if (draw < 0.7) for (const code of random.sample(programs, random.int(1, Math.min(3, programs.length)))) holders.get(code)!.push(user);
      else if (draw < 0.82) finance.push(user);
    }

    const programStaff: ProgramStaff[] = [];
    for (const code of programs) {
      const users = holders.get(code)!;
      const others = users.filter((user) => user !== director);
      // Large bodies leave programs to an engineer; small ones to their director general.
      const localManager = others.length > 0 && random.chance(0.6) ? random.pick(others) : director;
      const staffId = ownerStaffOf(code);
      let managerSince = later(Math.max(localManager.createdAt.getTime(), Date.parse('2019-01-15T14:00:00Z')), 400);
      if (others.length > 1 && random.chance(0.08)) {
        // R11: an earlier local manager, replaced by the owner's staff in one transfer.
        const former = random.pick(others.filter((user) => user !== localManager));
        const formerRight = grant(former, organization, code, Role.LocalManager, staffId, later(former.createdAt, 200), 'ACCESS_REQUEST_GRANTED');
        managerSince = later(Math.max(formerRight.grantedAt.getTime(), localManager.createdAt.getTime()), 500);
        revoke(formerRight, staffId, managerSince, 'MANAGER_TRANSFERRED', { replacedBy: localManager.id });
        grant(localManager, organization, code, Role.LocalManager, staffId, managerSince, 'MANAGER_TRANSFERRED');
        grant(localManager, organization, code, Role.User, staffId, managerSince, 'ACCESS_REQUEST_GRANTED');
      } else {
        // R8, R14: the first request, decided by the owner's staff, makes its author local manager and user.
        grant(localManager, organization, code, Role.LocalManager, staffId, managerSince, 'ACCESS_REQUEST_GRANTED');
        grant(localManager, organization, code, Role.User, staffId, managerSince, 'ACCESS_REQUEST_GRANTED');
      }
      const working: UserRow[] = [localManager];
      const reserved = new Set<UserRow>([localManager, director]);
      let mandateManager: UserRow | null = null;
      const candidates = users.filter((user) => user !== localManager);
      if (candidates.length >= 2 && random.chance(0.3)) {
        mandateManager = random.pick(candidates);
        reserved.add(mandateManager);
      }
      let deputy: UserRow | null = null;
      if (candidates.length >= 1 && random.chance(0.12)) {
        deputy = random.pick(candidates);
        reserved.add(deputy);
      }
      for (const user of candidates) {
        const right = grant(user, organization, code, Role.User, localManager.id, later(Math.max(managerSince.getTime(), user.createdAt.getTime()), 300), 'ACCESS_REQUEST_GRANTED');
        // Some users left a program: their right was removed by the manager (and they may ask again).
        if (!reserved.has(user) && random.chance(0.04)) revoke(right, localManager.id, later(right.grantedAt, 600), 'ACCESS_RIGHT_REVOKED');
        else working.push(user);
      }
      if (mandateManager) grant(mandateManager, organization, code, Role.MandateManager, staffId, later(managerSince, 300), 'MANAGER_TRANSFERRED');
      if (deputy) {
        // R10: a deputy for a leave, most of them covering the reference day and the weeks after it.
        const current = random.chance(0.6);
        const from = new Date(REFERENCE_TIME + (current ? -random.int(3, 40) : -random.int(150, 260)) * DAY_MS);
        const until = new Date(from.getTime() + random.int(current ? 60 : 20, current ? 120 : 90) * DAY_MS);
        grant(deputy, organization, code, Role.DeputyManager, localManager.id, new Date(from.getTime() - random.int(1, 10) * DAY_MS), 'DEPUTY_MANAGER_NAMED', { validFrom: from, validUntil: until });
      }
      programStaff.push({ code, localManager, mandateManager, users: working });
    }

    let perform: PerformStaff | null = null;
    if (organization.municipal) {
      // R5: the RSÉ corrects the body's entry of the Répertoire; DGOMR named them manager of that service.
      const since = later(director.createdAt, 90);
      grant(director, organization, CUSTOMER_DATA, Role.LocalManager, ownerStaffOf(CUSTOMER_DATA), since, 'ACCESS_REQUEST_GRANTED');
      grant(director, organization, CUSTOMER_DATA, Role.User, ownerStaffOf(CUSTOMER_DATA), since, 'ACCESS_REQUEST_GRANTED');

      perform = performStaff(random, organization, director, treasurer, finance, actors, auditingFirms);
      const named = later(Math.max(director.createdAt.getTime(), organization.createdAt.getTime()), 60);
      grant(perform.respondent, organization, PERFORM, Role.MunicipalRespondent, ownerStaffOf(PERFORM), named, 'MUNICIPAL_RESPONDENT_NAMED');
      const give = (user: UserRow, role: Role) =>
        grant(user, organization, PERFORM, role, perform!.respondent.id, later(Math.max(named.getTime(), user.createdAt.getTime()), 60), 'PERFORM_ROLE_GRANTED');
      give(perform.transmitter, Role.PerformTransmitter);
      give(perform.signatory, Role.PerformSignatory);
      for (const preparer of perform.preparers) give(preparer, Role.PerformPreparer);
      if (perform.reviewer) give(perform.reviewer, Role.PerformReviewer);
      give(perform.externalAuditor, Role.PerformExternalAuditor);
    }
    staff.set(organization.id, { programs: programStaff, perform });

    generateRequests(random, organization, programStaff, actors, requests, audit);
  }
  return { rights, requests, audit, staff };
}

function performStaff(
  random: Random,
  organization: OrganizationRow,
  director: UserRow,
  treasurer: UserRow,
  finance: readonly UserRow[],
  actors: readonly UserRow[],
  auditingFirms: readonly OrganizationRow[],
): PerformStaff {
  const preparerPool = finance.length > 0 ? finance : actors.filter((user) => user !== director);
  const preparers = random.sample(preparerPool, random.chance(0.35) ? 2 : 1);
  const reviewerPool = actors.filter((user) => user !== director && !preparers.includes(user));
  // The body's firme de vérificateur, most often from its own region.
  const nearby = auditingFirms.filter((firm) => firm.regionIndex === organization.regionIndex);
  const firm = random.pick(nearby.length > 0 && random.chance(0.7) ? nearby : auditingFirms);
  return {
    respondent: director,
    preparers: preparers.length > 0 ? preparers : [treasurer],
    reviewer: reviewerPool.length > 0 && random.chance(0.5) ? random.pick(reviewerPool) : null,
    signatory: treasurer,
    transmitter: director,
    externalAuditor: random.pick(firm.users.filter(canAct)),
  };
}

/**
 * R8: requests waiting for a local manager's decision, a few refused, and first requests of
 * bodies without a manager in a program, waiting for the owner's staff. At most one pending
 * request per (user, service).
 */
function generateRequests(
  random: Random,
  organization: OrganizationRow,
  programs: readonly ProgramStaff[],
  actors: readonly UserRow[],
  requests: AccessRequestRow[],
  audit: AuditRow[],
): void {
  const pending = new Set<string>();
  const record = (request: AccessRequestRow, decision: string | null) => {
    requests.push(request);
    audit.push({
      id: random.uuid(),
      occurredAt: request.createdAt,
      actorUserId: request.userId,
      actorOrganizationId: organization.id,
      organizationId: organization.id,
      serviceId: serviceId(request.serviceCode),
      action: 'ACCESS_REQUEST_SUBMITTED',
      targetType: 'AccessRequest',
      targetId: request.id,
      before: null,
      after: { kind: request.kind, userId: request.userId },
    });
    if (decision && request.decidedBy && request.decidedAt) {
      audit.push({
        id: random.uuid(),
        occurredAt: request.decidedAt,
        actorUserId: request.decidedBy,
        actorOrganizationId: organization.id,
        organizationId: organization.id,
        serviceId: serviceId(request.serviceCode),
        action: decision,
        targetType: 'AccessRequest',
        targetId: request.id,
        before: null,
        after: { reason: request.reason },
      });
    }
  };
  for (const user of actors) {
    const missing = programs.filter((program) => !program.users.includes(user));
    if (missing.length === 0) continue;
    const program = random.pick(missing);
    const draw = random.next();
    if (draw < 0.025) {
      pending.add(`${user.id}|${program.code}`);
      record(
        {
          id: random.uuid(),
          userId: user.id,
          organizationId: organization.id,
          serviceCode: program.code,
          kind: 'ACCESS',
          status: 'PENDING',
          reason: null,
          createdAt: new Date(REFERENCE_TIME - random.int(1, 30) * DAY_MS - random.int(0, 36_000) * 1000),
          decidedAt: null,
          decidedBy: null,
        },
        null,
      );
    } else if (draw < 0.035) {
      const createdAt = new Date(REFERENCE_TIME - random.int(40, 700) * DAY_MS);
      record(
        {
          id: random.uuid(),
          userId: user.id,
          organizationId: organization.id,
          serviceCode: program.code,
          kind: 'ACCESS',
          status: 'REFUSED',
          reason: random.pick(['Votre fonction ne requiert pas l’accès à ce programme.', 'Demande faite par erreur : aucun dossier de ce programme ne vous est confié.']),
          createdAt,
          decidedAt: new Date(createdAt.getTime() + random.int(1, 9) * DAY_MS),
          decidedBy: program.localManager.id,
        },
        'ACCESS_REQUEST_REFUSED',
      );
    }
  }
  // A program the body has no manager for yet: one first request, waiting for the owner's staff.
  const managed = new Set(programs.map((program) => program.code));
  for (const code of PROGRAMS.filter((c) => !managed.has(c))) {
    if (actors.length === 0 || !random.chance(0.08)) continue;
    const user = random.pick(actors);
    if (pending.has(`${user.id}|${code}`)) continue;
    pending.add(`${user.id}|${code}`);
    record(
      {
        id: random.uuid(),
        userId: user.id,
        organizationId: organization.id,
        serviceCode: code,
        kind: 'LOCAL_MANAGER',
        status: 'PENDING',
        reason: null,
        createdAt: new Date(REFERENCE_TIME - random.int(1, 45) * DAY_MS),
        decidedAt: null,
        decidedBy: null,
      },
      null,
    );
  }
}
