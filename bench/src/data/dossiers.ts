import { FormKind, formKindOf } from '../../../subgraphs/mandates/src/dossier/program-forms';
import type { AuditRow, DossierRow, DossierStatusChangeRow, OrganizationRow, UserRow } from './model';
import type { Namer } from './names';
import { FULL_SCALE, scaled } from './organizations';
import { apportion, type Random } from './random';
import type { OrganizationStaff, ProgramStaff } from './rights';
import { DAY_MS, DGI_STAFF_ID, DossierStatus, Kind, MINISTRY_ORGANIZATION_ID, REFERENCE_TIME, serviceId } from './reference';

/** How a body's dossiers spread over its programs. */
const PROGRAM_WEIGHT: Record<string, number> = { TECQ: 3, PRIMEAU: 2, FIMEAU: 1.5, PRACIM: 1.5, RÉCIM: 1.2, PRABAM: 2 };
/** Requested amounts by program, in dollars (a town's size moves them up). */
const AMOUNTS: Record<string, [number, number]> = {
  TECQ: [80_000, 4_000_000],
  PRIMEAU: [400_000, 12_000_000],
  FIMEAU: [900_000, 25_000_000],
  PRACIM: [150_000, 8_000_000],
  RÉCIM: [250_000, 7_000_000],
  PRABAM: [40_000, 1_200_000],
};

const DOSSIER_WEIGHT: Partial<Record<string, number>> = {
  [Kind.Mrc]: 12,
  [Kind.IntermunicipalBoard]: 10,
  [Kind.MetropolitanCommunity]: 20,
  [Kind.OtherOrganism]: 6,
};

const REFUSALS = [
  'Les travaux ne sont pas admissibles au programme.',
  'L’enveloppe du programme pour cette période est épuisée.',
  'Le dossier est incomplet malgré nos demandes : pièces justificatives manquantes.',
  'Le projet a déjà reçu une aide financière d’un autre programme pour les mêmes travaux.',
];

const shortName = (organization: OrganizationRow) => organization.name.replace(/^(Ville|Municipalité|Paroisse|Canton|Village) de /, '');
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/**
 * R17: the bodies' applications to the DGI programs, about 55 per municipality (a long tail of
 * large towns with hundreds), each with its form, its amounts and its history of statuses: the
 * older a dossier, the further it went (most of those of past years are decided).
 */
export function generateDossiers(random: Random, namer: Namer, organizations: readonly OrganizationRow[], staff: ReadonlyMap<string, OrganizationStaff>, scale: number) {
  const dossiers: DossierRow[] = [];
  const changes: DossierStatusChangeRow[] = [];
  const audit: AuditRow[] = [];
  const bodies = organizations.filter((o) => (staff.get(o.id)?.programs.length ?? 0) > 0);
  const weights = bodies.map((o) => (o.kind === Kind.LocalMunicipality ? 18 + Math.sqrt(o.population) / 2 : DOSSIER_WEIGHT[o.kind] ?? 6));
  const counts = apportion(scaled(FULL_SCALE.dossiers, scale), weights, 3);

  bodies.forEach((organization, bodyIndex) => {
    const programs = staff.get(organization.id)!.programs;
    const perProgram = apportion(counts[bodyIndex]!, programs.map((p) => PROGRAM_WEIGHT[p.code] ?? 1));
    programs.forEach((program, programIndex) => {
      for (let n = 0; n < perProgram[programIndex]!; n++) {
        const dossier = newDossier(random, namer, organization, program);
        dossiers.push(dossier);
        history(random, organization, program, dossier, changes, audit);
      }
    });
  });
  return { dossiers, changes, audit };
}

function newDossier(random: Random, namer: Namer, organization: OrganizationRow, program: ProgramStaff): DossierRow {
  // Most dossiers are recent; the oldest go back to 2019.
  const ageDays = 2 + Math.floor(Math.pow(random.next(), 2.6) * 2_850);
  const createdAt = new Date(REFERENCE_TIME - ageDays * DAY_MS + random.int(8 * 3600, 16 * 3600) * 1000);
  const authors = program.users.filter((user) => user.createdAt < createdAt);
  const author = authors.length > 0 ? random.pick(authors) : program.localManager;
  const [low, high] = AMOUNTS[program.code] ?? [50_000, 1_000_000];
  const size = Math.min(4, 0.6 + Math.sqrt(Math.max(organization.population, 1_000)) / 120);
  const cents = Math.round((low + random.next() * (high - low)) * size * 100);
  return {
    id: random.uuid(),
    organizationId: organization.id,
    serviceCode: program.code,
    title: title(random, namer, program.code, organization),
    requestedAmount: (cents / 100).toFixed(2),
    status: DossierStatus.Draft,
    form: {},
    createdBy: author.id,
    createdAt,
    updatedAt: createdAt,
  };
}

function title(random: Random, namer: Namer, code: string, organization: OrganizationRow): string {
  const { name: street, of } = namer.street();
  const year = 2019 + random.int(0, 8);
  switch (formKindOf(serviceId(code))) {
    case FormKind.Tecq:
      return random.pick([
        `Réfection ${of}`,
        `Renouvellement de l’aqueduc ${of}`,
        `Remplacement des conduites d’égout ${of}`,
        `Programmation de travaux ${year}-${year + 4}`,
        `Pavage et drainage ${of}`,
      ]);
    case FormKind.WaterInfrastructure:
      return random.pick([
        'Mise aux normes de l’usine de production d’eau potable',
        `Construction d’un poste de pompage, ${street}`,
        'Agrandissement des étangs aérés',
        `Séparation des réseaux d’égout, secteur ${of}`,
        'Aménagement d’un nouveau puits d’alimentation en eau potable',
        `Remplacement de la conduite maîtresse ${of}`,
      ]);
    default:
      return random.pick([
        `Rénovation de l’hôtel de ville de ${shortName(organization)}`,
        'Agrandissement du centre communautaire',
        'Construction d’un garage municipal',
        'Réfection de la caserne de pompiers',
        'Mise aux normes de l’aréna',
        'Rénovation de la bibliothèque municipale',
        'Construction d’un centre multifonctionnel',
      ]);
  }
}

/** A complete form of the dossier's program (program-forms.ts), for a dossier about to be submitted. */
function completeForm(random: Random, dossier: DossierRow, organization: OrganizationRow): Record<string, unknown> {
  const start = dossier.createdAt.getTime() + random.int(60, 400) * DAY_MS;
  const work = { plannedWorkStartsOn: isoDay(start), plannedWorkEndsOn: isoDay(start + random.int(60, 720) * DAY_MS) };
  const population = Math.max(100, organization.population || random.int(2_000, 60_000));
  switch (formKindOf(serviceId(dossier.serviceCode))) {
    case FormKind.Tecq:
      return { population, priority: random.pick(['DRINKING_WATER', 'WASTEWATER', 'LOCAL_ROADS', 'OTHER_INFRASTRUCTURE']), ...work };
    case FormKind.WaterInfrastructure:
      return { infrastructureType: random.pick(['DRINKING_WATER', 'WASTEWATER', 'STORMWATER']), populationServed: Math.max(50, Math.round(population * (0.5 + random.next() * 0.5))), ...work };
    default:
      return {
        buildingName: dossier.title.replace(/^(Rénovation|Agrandissement|Construction|Réfection|Mise aux normes) (de l’|du |de la |d’un |de )/, '').replace(/^./, (c) => c.toUpperCase()),
        buildingUse: random.pick(['COMMUNITY', 'ADMINISTRATIVE', 'RECREATIONAL', 'CULTURAL']),
        floorArea: random.int(150, 9_000),
        ...work,
      };
  }
}

/** A draft's form: what was filled so far, some of the fields or none. */
function draftForm(random: Random, complete: Record<string, unknown>): Record<string, unknown> {
  if (random.chance(0.3)) return {};
  const keep = Object.keys(complete).filter(() => random.chance(0.6));
  // A draft's dates stay in order too (the form refuses an end before the start).
  if (keep.includes('plannedWorkEndsOn') && !keep.includes('plannedWorkStartsOn')) keep.push('plannedWorkStartsOn');
  return Object.fromEntries(keep.map((key) => [key, complete[key]]));
}

/** R17: DRAFT → SUBMITTED → IN_REVIEW → ACCEPTED | REFUSED, as far as the dossier got by the reference day; audited (R21). */
function history(
  random: Random,
  organization: OrganizationRow,
  program: ProgramStaff,
  dossier: DossierRow,
  changes: DossierStatusChangeRow[],
  audit: AuditRow[],
): void {
  const complete = completeForm(random, dossier, organization);
  const snapshot = () => ({ status: dossier.status, title: dossier.title, requestedAmount: dossier.requestedAmount });
  const step = (to: DossierStatus, by: UserRow | null, at: number, reason: string | null) => {
    const before = snapshot();
    const from = dossier.status;
    dossier.status = to;
    dossier.updatedAt = new Date(at);
    changes.push({ id: random.uuid(), dossierId: dossier.id, fromStatus: from, toStatus: to, changedBy: by?.id ?? DGI_STAFF_ID, changedAt: new Date(at), reason });
    audit.push({
      id: random.uuid(),
      occurredAt: new Date(at),
      actorUserId: by?.id ?? DGI_STAFF_ID,
      actorOrganizationId: by?.org.id ?? MINISTRY_ORGANIZATION_ID,
      organizationId: dossier.organizationId,
      serviceId: serviceId(dossier.serviceCode),
      action: 'DOSSIER_STATUS_CHANGED',
      targetType: 'Dossier',
      targetId: dossier.id,
      before,
      after: { ...snapshot(), ...(reason ? { reason } : {}) },
    });
  };

  const author = program.users.find((user) => user.id === dossier.createdBy) ?? program.localManager;
  changes.push({ id: random.uuid(), dossierId: dossier.id, fromStatus: null, toStatus: DossierStatus.Draft, changedBy: author.id, changedAt: dossier.createdAt, reason: null });
  audit.push({
    id: random.uuid(),
    occurredAt: dossier.createdAt,
    actorUserId: author.id,
    actorOrganizationId: dossier.organizationId,
    organizationId: dossier.organizationId,
    serviceId: serviceId(dossier.serviceCode),
    action: 'DOSSIER_CREATED',
    targetType: 'Dossier',
    targetId: dossier.id,
    before: null,
    after: snapshot(),
  });

  const horizon = REFERENCE_TIME - 12 * 3600 * 1000;
  const submitted = dossier.createdAt.getTime() + random.int(14, 240) * DAY_MS;
  if (!random.chance(0.88) || submitted >= horizon) {
    dossier.form = draftForm(random, complete);
    if (Object.keys(dossier.form).length > 0) dossier.updatedAt = new Date(Math.min(horizon, dossier.createdAt.getTime() + random.int(1, 30) * DAY_MS));
    return;
  }
  dossier.form = complete;
  step(DossierStatus.Submitted, random.chance(0.8) ? author : random.pick(program.users), submitted, null);
  const inReview = submitted + random.int(10, 120) * DAY_MS;
  if (inReview >= horizon) return;
  step(DossierStatus.InReview, null, inReview, null);
  const decided = inReview + random.int(60, 540) * DAY_MS;
  if (decided >= horizon) return;
  if (random.chance(0.86)) step(DossierStatus.Accepted, null, decided, null);
  else step(DossierStatus.Refused, null, decided, random.pick(REFUSALS));
}
