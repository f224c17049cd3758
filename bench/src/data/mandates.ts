import { canAct, type AuditRow, type DossierRow, type MandateRow, type OrganizationRow, type UserRow } from './model';
import { FULL_SCALE, scaled } from './organizations';
import type { Random } from './random';
import type { OrganizationStaff, ProgramStaff } from './rights';
import { CLOSED_STATUSES, DAY_MS, Kind, MANDATE_LEVELS_IN_ORDER, REFERENCE_TIME, dayFromReference, serviceId } from './reference';

/** What becomes of a mandate by the reference day (mandates' MandateStatus). Most are active. */
const FATES = ['ACTIVE', 'SCHEDULED', 'EXPIRED', 'ENDED', 'REVOKED'] as const;
type Fate = (typeof FATES)[number];
const FATE_WEIGHTS = [0.78, 0.03, 0.08, 0.04, 0.07];
const DELEGATED_SHARE = 0.1;

const LEVEL_WEIGHTS = [0.3, 0.5, 0.2];
const day = (time: number) => new Date(time).toISOString().slice(0, 10);
const dayTime = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`);
const REFERENCE_DAY_TIME = dayTime(dayFromReference(0));

interface Group {
  organization: OrganizationRow;
  program: ProgramStaff;
  open: DossierRow[];
  closed: DossierRow[];
}

/**
 * R15, R16: mandates the bodies' local managers and mandate managers gave to users of consulting
 * firms on named dossiers of a program, mostly active on the reference day and for the weeks
 * after it; some scheduled, expired, ended with their dossiers, or revoked; a tenth passed on by
 * a firm's RSÉ to a colleague, at the same level or below, inside the original's dates.
 */
export function generateMandates(
  random: Random,
  organizations: readonly OrganizationRow[],
  staff: ReadonlyMap<string, OrganizationStaff>,
  dossiers: readonly DossierRow[],
  scale: number,
) {
  const mandates: MandateRow[] = [];
  const audit: AuditRow[] = [];
  const byId = new Map(organizations.map((o) => [o.id, o]));
  const groups = new Map<string, Group>();
  for (const dossier of dossiers) {
    const key = `${dossier.organizationId}|${dossier.serviceCode}`;
    let group = groups.get(key);
    if (!group) {
      const organization = byId.get(dossier.organizationId)!;
      const program = staff.get(organization.id)!.programs.find((p) => p.code === dossier.serviceCode)!;
      group = { organization, program, open: [], closed: [] };
      groups.set(key, group);
    }
    (CLOSED_STATUSES.includes(dossier.status) ? group.closed : group.open).push(dossier);
  }
  const groupOf = (dossier: DossierRow) => groups.get(`${dossier.organizationId}|${dossier.serviceCode}`)!;
  const openDossiers = dossiers.filter((d) => !CLOSED_STATUSES.includes(d.status));
  const closedDossiers = dossiers.filter((d) => CLOSED_STATUSES.includes(d.status));

  // The firms that take mandates on dossiers, and the people in them who carry most of the files.
  const firms = organizations.filter((o) => (o.kind === Kind.ConsultingFirm || o.kind === Kind.Consultant || o.kind === Kind.Collaborator) && o.users.some(canAct));
  const workload = new Map<UserRow, number>();
  for (const firm of firms) for (const user of firm.users.filter(canAct)) workload.set(user, random.logNormal(1, 0.8));
  const preferred = new Map<string, OrganizationRow[]>();
  const preferredFirms = (organization: OrganizationRow) => {
    let chosen = preferred.get(organization.id);
    if (!chosen) {
      const nearby = firms.filter((firm) => firm.regionIndex === organization.regionIndex);
      const pool = nearby.length >= 2 && random.chance(0.75) ? nearby : firms;
      chosen = random.sample(pool, random.int(1, 3));
      preferred.set(organization.id, chosen);
    }
    return chosen;
  };
  const mandataireIn = (firm: OrganizationRow, except?: UserRow) => {
    const people = firm.users.filter((user) => canAct(user) && user !== except);
    return people.length === 0 ? null : random.weighted(people, people.map((user) => workload.get(user) ?? 1));
  };

  const snapshot = (mandate: MandateRow) => ({
    mandataireId: mandate.mandataireId,
    firmOrganizationId: mandate.firmOrganizationId,
    level: mandate.level,
    startsOn: mandate.startsOn,
    endsOn: mandate.endsOn,
    dossierIds: mandate.dossierIds,
    parentId: mandate.parentId,
  });
  const record = (mandate: MandateRow, actorOrganizationId: string, action: string) => {
    mandates.push(mandate);
    audit.push({
      id: random.uuid(),
      occurredAt: mandate.grantedAt,
      actorUserId: mandate.grantedBy,
      actorOrganizationId,
      organizationId: mandate.organizationId,
      serviceId: serviceId(mandate.serviceCode),
      action,
      targetType: 'Mandate',
      targetId: mandate.id,
      before: null,
      after: snapshot(mandate),
    });
    if (mandate.revokedAt && mandate.revokedBy) {
      audit.push({
        id: random.uuid(),
        occurredAt: mandate.revokedAt,
        actorUserId: mandate.revokedBy,
        actorOrganizationId: mandate.organizationId,
        organizationId: mandate.organizationId,
        serviceId: serviceId(mandate.serviceCode),
        action: 'MANDATE_REVOKED',
        targetType: 'Mandate',
        targetId: mandate.id,
        before: { revokedAt: null },
        after: { revokedAt: mandate.revokedAt.toISOString() },
      });
    }
  };

  const total = scaled(FULL_SCALE.mandates, scale);
  const topLevel = total - Math.round(total * DELEGATED_SHARE);
  const delegable: MandateRow[] = [];
  for (let n = 0; n < topLevel && firms.length > 0; n++) {
    let fate: Fate = random.weighted(FATES, FATE_WEIGHTS);
    const needsOpen = fate !== 'ENDED';
    const pool = needsOpen ? openDossiers : closedDossiers;
    if (pool.length === 0) continue;
    const first = random.pick(pool);
    const group = groupOf(first);
    const others = (needsOpen ? group.open : group.closed).filter((d) => d !== first);
    const named = [first, ...random.sample(others, random.weighted([0, 1, 2], [0.55, 0.3, 0.15]))];
    const anchor = Math.max(...named.map((d) => d.createdAt.getTime()));

    let startsOn: string;
    let endsOn: string | null = null;
    if (fate === 'SCHEDULED') {
      startsOn = dayFromReference(random.int(1, 30));
      if (random.chance(0.5)) endsOn = day(dayTime(startsOn) + random.int(90, 700) * DAY_MS);
    } else if (fate === 'EXPIRED' && REFERENCE_DAY_TIME - anchor > 60 * DAY_MS) {
      const start = Math.min(anchor + random.int(1, 60) * DAY_MS, REFERENCE_DAY_TIME - 45 * DAY_MS);
      startsOn = day(start);
      endsOn = day(start + random.int(30, Math.max(31, Math.floor((REFERENCE_DAY_TIME - DAY_MS - start) / DAY_MS))) * DAY_MS);
    } else {
      if (fate === 'EXPIRED') fate = 'ACTIVE';
      // Given on an open dossier some time after it was opened; the newest dossiers just now.
      const start = Math.min(anchor + random.int(1, 120) * DAY_MS, REFERENCE_DAY_TIME - DAY_MS);
      startsOn = day(Math.max(start, anchor));
      if (random.chance(0.45)) endsOn = dayFromReference(random.int(45, 900));
    }
    const startTime = dayTime(startsOn);
    // A mandate starts on its day of grant or later (R16): granted a few days before.
    const grantedAt = new Date(Math.max(anchor, Math.min(startTime, REFERENCE_TIME - DAY_MS) - random.int(0, 7) * DAY_MS) + 13 * 3600 * 1000);
    const giver = group.program.mandateManager && random.chance(0.5) ? group.program.mandateManager : group.program.localManager;
    const firm = random.pick(preferredFirms(group.organization));
    const mandataire = mandataireIn(firm);
    if (!mandataire) continue;
    const revokedAt =
      fate === 'REVOKED' ? new Date(Math.min(REFERENCE_TIME - DAY_MS, grantedAt.getTime() + random.int(2, 300) * DAY_MS)) : null;
    const mandate: MandateRow = {
      id: random.uuid(),
      organizationId: group.organization.id,
      serviceCode: group.program.code,
      firmOrganizationId: firm.id,
      mandataireId: mandataire.id,
      mandataireName: `${mandataire.givenName} ${mandataire.familyName}`,
      level: random.weighted(MANDATE_LEVELS_IN_ORDER, LEVEL_WEIGHTS),
      startsOn,
      endsOn,
      parentId: null,
      grantedBy: giver.id,
      grantedAt,
      revokedAt,
      revokedBy: revokedAt ? giver.id : null,
      dossierIds: named.map((d) => d.id),
    };
    record(mandate, group.organization.id, 'MANDATE_GRANTED');
    if (fate === 'ACTIVE') delegable.push(mandate);
  }

  // R16: a firm's RSÉ passes some active mandates on to colleagues.
  const firmById = new Map(firms.map((f) => [f.id, f]));
  for (let n = mandates.length; n < total && delegable.length > 0; n++) {
    const parent = random.pick(delegable);
    const firm = firmById.get(parent.firmOrganizationId)!;
    const manager = firm.users.find((user) => user.isRse && canAct(user));
    const holder = firm.users.find((user) => user.id === parent.mandataireId);
    const colleague = mandataireIn(firm, holder);
    if (!manager || !colleague) continue;
    const parentLevel = MANDATE_LEVELS_IN_ORDER.indexOf(parent.level);
    const startTime = Math.max(dayTime(parent.startsOn), REFERENCE_DAY_TIME - random.int(0, 200) * DAY_MS);
    const startsOn = day(Math.min(startTime, REFERENCE_DAY_TIME));
    const endsOn = parent.endsOn ?? (random.chance(0.3) ? dayFromReference(random.int(30, 400)) : null);
    const grantedAt = new Date(Math.max(parent.grantedAt.getTime() + DAY_MS, dayTime(startsOn) - random.int(0, 3) * DAY_MS) + 15 * 3600 * 1000);
    const child: MandateRow = {
      id: random.uuid(),
      organizationId: parent.organizationId,
      serviceCode: parent.serviceCode,
      firmOrganizationId: parent.firmOrganizationId,
      mandataireId: colleague.id,
      mandataireName: `${colleague.givenName} ${colleague.familyName}`,
      level: MANDATE_LEVELS_IN_ORDER[random.int(0, parentLevel)]!,
      startsOn,
      endsOn,
      parentId: parent.id,
      grantedBy: manager.id,
      grantedAt: new Date(Math.min(grantedAt.getTime(), REFERENCE_TIME - 3600 * 1000)),
      revokedAt: null,
      revokedBy: null,
      dossierIds: random.sample(parent.dossierIds, random.int(1, parent.dossierIds.length)),
    };
    record(child, firm.id, 'MANDATE_DELEGATED');
  }
  return { mandates, audit };
}
