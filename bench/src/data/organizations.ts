import { regionalDirectionOfRegion, stableId } from '@pgamr/kit';
import type { AuditRow, OrganizationRow, PersonInAuthorityRow, UserRow } from './model';
import { MRC_NAMES, REGIONS, ascii, type Namer, type PersonName } from './names';
import { apportion, type Random } from './random';
import { CSE_AGENT_ID, CSE_ORGANIZATION_ID, DAY_MS, FIRM_KINDS, Kind, MINISTRY_ORGANIZATION_ID, MUNICIPAL_KINDS, REFERENCE_TIME } from './reference';

/** The Québec-scale counts, multiplied by `--scale`. */
export const FULL_SCALE = {
  localMunicipalities: 1100,
  mrcs: 87,
  otherOrganisms: 100,
  firms: 200,
  users: 30_000,
  dossiers: 60_000,
  mandates: 25_000,
} as const;

export const scaled = (count: number, scale: number, minimum = 1): number => Math.max(minimum, Math.round(count * scale));

// Codes of identity's demo data set, never given again: demo personas keep theirs.
const DEMO_PREFIXES = new Set(['MAG', 'SHE', 'GCE', 'VCE', 'MAM', 'CSE']);
const DEMO_NEQS = new Set(['1170000001', '3370000001']);
/** Division numbers of the demo bodies' codes (MRC 450): generated MRCs never take them. */
const DEMO_DIVISIONS = new Set([45]);
/** Montréal and Laval have no MRC: the generated MRCs are spread over the other regions. */
const MRC_REGIONS = REGIONS.map((_, index) => index).filter((index) => index !== 5 && index !== 12);
const AREA_CODES = ['418', '418', '418', '819', '819', '514', '819', '819', '418', '819', '418', '418', '450', '450', '450', '450', '819'];

const time = (iso: string) => Date.parse(iso);
const between = (random: Random, from: number, to: number) => new Date(from + Math.floor(random.next() * (to - from)));

const SMALL_WORDS = new Set(['de', 'du', 'des', 'la', 'le', 'les', 'sur', 'd', 'l', 'aux', 'a', 'et', 'en', 'inc', 'ltee', 'mrc']);

/** A three-letter clicSÉQUR code prefix from the organization's name (Saint-Isidore-de-Beauce → SIB), unique. */
function codePrefix(random: Random, name: string, taken: Set<string>): string {
  const words = ascii(name).split('-').filter((word) => word && !SMALL_WORDS.has(word));
  const letters = words.map((word) => word[0]!).join('');
  const tail = words.at(-1) ?? 'x';
  const candidates = [
    (letters + tail.slice(1)).slice(0, 3),
    (words[0] ?? tail).slice(0, 3),
    (letters.slice(0, 1) + tail.slice(0, 2)),
  ].map((candidate) => candidate.toUpperCase()).filter((candidate) => /^[A-Z]{3}$/.test(candidate));
  for (const candidate of candidates) {
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
  for (;;) {
    const candidate = Array.from({ length: 3 }, () => String.fromCharCode(65 + random.int(0, 25))).join('');
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
}

function municipalityType(random: Random, place: { township: boolean; saint: boolean }, population: number): string {
  if (place.township) return 'Canton de';
  if (population > 6_000 || (population > 2_000 && random.chance(0.4))) return 'Ville de';
  if (place.saint && random.chance(0.2)) return 'Paroisse de';
  if (random.chance(0.05)) return 'Village de';
  return 'Municipalité de';
}

interface NewOrganization {
  key: string;
  kind: Kind;
  name: string;
  neq?: string | null;
  geographicCode?: string | null;
  regionIndex: number;
  /** The key of the body's MRC (R5), which lies in the same region; an MRC's is its own. */
  mrcKey?: string;
  population: number;
  domain: string;
}

/** Municipalities, MRC, regional bodies and firms, with their users, the Répertoire's persons in authority and identity's audit trail. */
export function generateOrganizations(random: Random, namer: Namer, scale: number) {
  const organizations: OrganizationRow[] = [];
  const prefixes = new Set(DEMO_PREFIXES);
  const add = (organization: NewOrganization) => {
    const row: OrganizationRow = {
      id: stableId('organization', organization.key),
      key: organization.key,
      kind: organization.kind,
      name: organization.name,
      neq: organization.neq ?? null,
      geographicCode: organization.geographicCode ?? null,
      administrativeRegion: MUNICIPAL_KINDS.includes(organization.kind) ? REGIONS[organization.regionIndex]! : null,
      mrcId: organization.mrcKey ? stableId('organization', organization.mrcKey) : null,
      createdAt: between(random, time('2014-03-01T14:00:00Z'), time('2016-01-01T14:00:00Z')),
      municipal: MUNICIPAL_KINDS.includes(organization.kind),
      firm: FIRM_KINDS.includes(organization.kind),
      population: organization.population,
      regionIndex: organization.regionIndex,
      codePrefix: codePrefix(random, organization.name.replace(/^(Ville|Municipalité|Paroisse|Canton|Village) de /, ''), prefixes),
      domain: organization.domain,
      users: [],
    };
    organizations.push(row);
    return row;
  };

  // MRC first: each local municipality belongs to one, and takes its region and division number.
  const mrcCount = Math.min(MRC_NAMES.length, scaled(FULL_SCALE.mrcs, scale));
  const divisions = random.sample(Array.from({ length: 98 }, (_, i) => i + 1).filter((d) => !DEMO_DIVISIONS.has(d)), mrcCount).sort((a, b) => a - b);
  const mrcs = divisions.map((division, index) => ({
    division,
    key: `MRC-${String(division).padStart(2, '0')}0`,
    name: MRC_NAMES[index]!,
    regionIndex: MRC_REGIONS[index % MRC_REGIONS.length]!,
    members: 0,
    population: 0,
  }));

  const places = new Set<string>();
  const localCount = scaled(FULL_SCALE.localMunicipalities, scale);
  const locals = Array.from({ length: localCount }, () => {
    const mrc = random.pick(mrcs);
    mrc.members++;
    // Québec's municipalities: half under 1,500 people, a long tail of towns and a few cities.
    const population = Math.round(Math.min(1_800_000, Math.max(120, random.logNormal(1_500, 1.3))));
    mrc.population += population;
    const place = namer.uniquePlaceName(places);
    return { mrc, population, place, code: `${String(mrc.division).padStart(2, '0')}${String(mrc.members * 5).padStart(3, '0')}` };
  });
  for (const local of locals) {
    add({
      key: `MUN-${local.code}`,
      kind: Kind.LocalMunicipality,
      name: `${municipalityType(random, local.place, local.population)} ${local.place.name}`,
      geographicCode: local.code,
      regionIndex: local.mrc.regionIndex,
      mrcKey: local.mrc.key,
      population: local.population,
      domain: `${ascii(local.place.name)}.qc.ca`,
    });
  }
  for (const mrc of mrcs) {
    add({
      key: mrc.key,
      kind: Kind.Mrc,
      name: mrc.name,
      geographicCode: mrc.key.slice('MRC-'.length),
      regionIndex: mrc.regionIndex,
      mrcKey: mrc.key,
      population: Math.max(mrc.population, 8_000),
      domain: `${ascii(mrc.name.replace(/^MRC /, 'mrc-'))}.qc.ca`,
    });
  }

  const otherCount = scaled(FULL_SCALE.otherOrganisms, scale);
  const communities = [
    { name: 'Communauté métropolitaine de Montréal', regionIndex: 5, population: 4_100_000 },
    { name: 'Communauté métropolitaine de Québec', regionIndex: 2, population: 840_000 },
  ].slice(0, otherCount >= 10 ? 2 : 0);
  const boardCount = Math.round((otherCount - communities.length) * 0.6);
  const names = new Set<string>();
  const uniqueName = (make: () => string) => {
    for (let attempt = 0; ; attempt++) {
      const name = attempt < 20 ? make() : `${make()} (${attempt})`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  const served = () => {
    const local = random.pick(locals);
    return { place: local.place.name, regionIndex: local.mrc.regionIndex, mrcKey: local.mrc.key };
  };
  communities.forEach((community, index) =>
    add({ key: `CM-${index + 1}`, kind: Kind.MetropolitanCommunity, name: community.name, regionIndex: community.regionIndex, population: community.population, domain: `cm${index + 1}.qc.ca` }),
  );
  for (let index = 0; index < otherCount - communities.length; index++) {
    const { place, regionIndex, mrcKey } = served();
    const board = index < boardCount;
    const name = uniqueName(() =>
      board
        ? `${random.pick(['Régie intermunicipale d’aqueduc', 'Régie intermunicipale de gestion des matières résiduelles', 'Régie intermunicipale de sécurité incendie', 'Régie d’assainissement des eaux', 'Régie intermunicipale des loisirs'])} de ${place}`
        : `${random.pick(['Office municipal d’habitation', 'Société de transport', 'Corporation de développement économique', 'Conseil régional de l’environnement', 'Société d’aménagement'])} de ${place}`,
    );
    add({
      key: `ORG-${String(index + 1).padStart(4, '0')}`,
      kind: board ? Kind.IntermunicipalBoard : Kind.OtherOrganism,
      name,
      regionIndex,
      // A régie serves the municipalities of an MRC and belongs to it; other organisms are no municipal bodies.
      ...(board ? { mrcKey } : {}),
      population: board ? Math.round(random.logNormal(12_000, 0.8)) : 0,
      domain: `${ascii(name).slice(0, 40)}.qc.ca`,
    });
  }

  // One firm of each kind at least: even the smallest set has its auditors and consultants.
  const firmCount = scaled(FULL_SCALE.firms, scale, 4);
  const neqs = new Set(DEMO_NEQS);
  const newNeq = (first: string) => {
    for (;;) {
      const neq = `${first}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
      if (!neqs.has(neq)) {
        neqs.add(neq);
        return neq;
      }
    }
  };
  const firmKinds = apportion(firmCount, [55, 20, 17, 8], 1);
  const kinds = [Kind.ConsultingFirm, Kind.AuditingFirm, Kind.Consultant, Kind.Collaborator];
  let firmIndex = 0;
  kinds.forEach((kind, kindIndex) => {
    for (let i = 0; i < firmKinds[kindIndex]!; i++) {
      const founder = namer.person();
      const name = uniqueName(() =>
        kind === Kind.ConsultingFirm
          ? namer.consultingFirmName()
          : kind === Kind.AuditingFirm
            ? namer.auditingFirmName()
            : kind === Kind.Consultant
              ? namer.consultantName(founder)
              : namer.collaboratorName(),
      );
      firmIndex++;
      add({
        key: `FIRM-${String(firmIndex).padStart(4, '0')}`,
        kind,
        name,
        // NEQ's first digits: 11 a company, 33 a partnership, 22 a sole proprietor.
        neq: newNeq(kind === Kind.AuditingFirm ? '33' : kind === Kind.Consultant ? '22' : '11'),
        regionIndex: random.pick(MRC_REGIONS),
        population: 0,
        domain: `${ascii(name).split('-').slice(0, 2).join('')}.ca`,
      });
    }
  });

  const users = generateUsers(random, namer, organizations, scaled(FULL_SCALE.users, scale, organizations.length));
  const result = { organizations, users, personsInAuthority: personsInAuthority(random, namer, organizations), identityAudit: identityAudit(random, users) };
  // Drawn last, so that every row before them is the same as without them.
  users.push(...regionalStaff(random, namer, organizations, scale));
  return result;
}

/** Staff of each regional direction, at scale 1 (at least one per region). */
const STAFF_PER_REGIONAL_DIRECTION = 5;

/**
 * R5, R20: staff of the ministry's regional directions (`DR-05` for Estrie), a few per region
 * where the data set has municipal bodies: they follow the bodies of their region (dossiers,
 * financial reports, users) and correct its Répertoire entries. Users of the demo data set's
 * ministry (MIN-MAMH, which the demo seed inserts before the mass is loaded), written as
 * identity's demo seed writes its own staff (MAM0000004, DR-05): a `direction`, no RSÉ, no audit
 * entry (nobody in the portal creates ministry staff). Codes MAM0001001… leave the demo's alone.
 */
function regionalStaff(random: Random, namer: Namer, organizations: readonly OrganizationRow[], scale: number): UserRow[] {
  const ministry: OrganizationRow = {
    id: MINISTRY_ORGANIZATION_ID,
    key: 'MIN-MAMH',
    kind: Kind.Ministry,
    name: "Ministère des Affaires municipales et de l'Habitation",
    neq: null,
    geographicCode: null,
    administrativeRegion: null,
    mrcId: null,
    createdAt: new Date(time('2014-01-01T14:00:00Z')),
    municipal: false,
    firm: false,
    population: 0,
    regionIndex: 2,
    codePrefix: 'MAM',
    domain: 'mamh.gouv.qc.ca',
    users: [],
  };
  const regions = [...new Set(organizations.filter((o) => o.municipal).map((o) => o.regionIndex))].sort((a, b) => a - b);
  const perRegion = scaled(STAFF_PER_REGIONAL_DIRECTION, scale);
  const emails = new Set<string>();
  for (const regionIndex of regions) {
    // The kit's reading of a region (`05 Estrie` → `DR-05`), the one every subgraph applies.
    const direction = regionalDirectionOfRegion(REGIONS[regionIndex])!;
    for (let index = 0; index < perRegion; index++) {
      const name = namer.person();
      let email = `${ascii(name.givenName)}.${ascii(name.familyName)}@${ministry.domain}`;
      for (let n = 2; emails.has(email); n++) email = `${ascii(name.givenName)}.${ascii(name.familyName)}${n}@${ministry.domain}`;
      emails.add(email);
      const createdAt = between(random, time('2016-06-01T14:00:00Z'), REFERENCE_TIME - 10 * DAY_MS);
      const user: UserRow = {
        id: '',
        clicSequrCode: `MAM${String(1001 + ministry.users.length).padStart(7, '0')}`,
        givenName: name.givenName,
        familyName: name.familyName,
        email,
        phone: `${AREA_CODES[regionIndex] ?? '418'} 555-${String(random.int(0, 9999)).padStart(4, '0')}`,
        status: 'ACTIVE',
        isRse: false,
        direction,
        passwordIsTemporary: false,
        temporaryPasswordExpiresAt: null,
        createdAt,
        updatedAt: createdAt,
        org: ministry,
      };
      user.id = stableId('user', user.clicSequrCode);
      ministry.users.push(user);
    }
  }
  return ministry.users;
}

/** How many users each organization has: by size for municipal bodies (at least 3), by firm kind for firms. */
function userWeight(random: Random, organization: OrganizationRow): number {
  switch (organization.kind) {
    case Kind.LocalMunicipality:
      return 2 + Math.sqrt(organization.population) / 8;
    case Kind.Mrc:
      return 6 + Math.sqrt(organization.population) / 40;
    case Kind.MetropolitanCommunity:
      return 40;
    case Kind.IntermunicipalBoard:
      return 5;
    case Kind.OtherOrganism:
      return 4;
    case Kind.ConsultingFirm:
      return Math.min(250, random.logNormal(14, 0.9));
    case Kind.AuditingFirm:
      return Math.min(80, random.logNormal(10, 0.7));
    case Kind.Consultant:
      return 1.3;
    default:
      return 4;
  }
}

function generateUsers(random: Random, namer: Namer, organizations: OrganizationRow[], total: number): UserRow[] {
  const bodies = organizations.filter((organization) => !organization.firm);
  const firms = organizations.filter((organization) => organization.firm);
  const firmShare = firms.length === 0 ? 0 : Math.round(total * 0.15);
  const bodyCounts = apportion(total - firmShare, bodies.map((o) => userWeight(random, o)), 3);
  const firmCounts = apportion(firmShare, firms.map((o) => userWeight(random, o)), 1);
  const users: UserRow[] = [];
  const plan: Array<[OrganizationRow, number]> = [
    ...bodies.map((o, i): [OrganizationRow, number] => [o, bodyCounts[i]!]),
    ...firms.map((o, i): [OrganizationRow, number] => [o, firmCounts[i]!]),
  ];
  for (const [organization, count] of plan) {
    const emails = new Set<string>();
    const area = AREA_CODES[organization.regionIndex] ?? '418';
    for (let index = 0; index < count; index++) {
      const name = namer.person();
      let email = `${ascii(name.givenName)}.${ascii(name.familyName)}@${organization.domain}`;
      for (let n = 2; emails.has(email); n++) email = `${ascii(name.givenName)}.${ascii(name.familyName)}${n}@${organization.domain}`;
      emails.add(email);
      // The first users (the director general, the treasurer…) are the key people of the body: never suspended, there from the start.
      const key = index < 4;
      const createdAt = key
        ? new Date(organization.createdAt.getTime() + (index * 20 + random.int(1, 19)) * DAY_MS)
        : between(random, time('2016-06-01T14:00:00Z'), REFERENCE_TIME - 10 * DAY_MS);
      const suspended = !key && random.chance(0.02);
      const temporary = !key && !suspended && random.chance(0.015);
      const updatedAt = suspended ? between(random, createdAt.getTime(), REFERENCE_TIME - DAY_MS) : createdAt;
      const user: UserRow = {
        id: '',
        clicSequrCode: `${organization.codePrefix}${String(index + 1).padStart(7, '0')}`,
        givenName: name.givenName,
        familyName: name.familyName,
        email,
        phone: random.chance(0.85) ? `${area} 555-${String(random.int(0, 9999)).padStart(4, '0')}` : null,
        status: suspended ? 'SUSPENDED' : 'ACTIVE',
        isRse: index === 0 || (index === 1 && count >= 15),
        direction: null,
        passwordIsTemporary: temporary,
        temporaryPasswordExpiresAt: temporary ? new Date(REFERENCE_TIME + 5 * DAY_MS) : null,
        createdAt,
        updatedAt,
        org: organization,
      };
      user.id = stableId('user', user.clicSequrCode);
      organization.users.push(user);
      users.push(user);
    }
  }
  return users;
}

/** The director general is an organization's first user and its treasurer the second (rights.ts gives them their roles). */
export const directorOf = (organization: OrganizationRow): UserRow => organization.users[0]!;
export const treasurerOf = (organization: OrganizationRow): UserRow => organization.users[1] ?? organization.users[0]!;

/** R4, R5: the Répertoire lists each municipal body's persons in authority; the DG and treasurer are its users. */
function personsInAuthority(random: Random, namer: Namer, organizations: OrganizationRow[]): PersonInAuthorityRow[] {
  const rows: PersonInAuthorityRow[] = [];
  for (const organization of organizations.filter((o) => o.municipal)) {
    const head: Record<string, string> = {
      [Kind.LocalMunicipality]: 'MAYOR',
      [Kind.Mrc]: 'PREFECT',
      [Kind.IntermunicipalBoard]: 'CHAIR',
      [Kind.MetropolitanCommunity]: 'CHAIR',
    };
    const people: Array<[string, PersonName]> = [
      [head[organization.kind]!, namer.person()],
      ['DIRECTOR_GENERAL', directorOf(organization)],
    ];
    const treasurer = treasurerOf(organization);
    if (organization.kind === Kind.LocalMunicipality && organization.population >= 5_000) {
      people.push(['CLERK', namer.person()], ['TREASURER', treasurer]);
    } else {
      people.push([organization.kind === Kind.LocalMunicipality || organization.kind === Kind.Mrc ? 'CLERK_TREASURER' : 'TREASURER', treasurer]);
    }
    for (const [role, person] of people) {
      rows.push({ id: random.uuid(), organizationId: organization.id, role, givenName: person.givenName, familyName: person.familyName });
    }
  }
  return rows;
}

const userSnapshot = (user: UserRow, status = user.status) => ({
  givenName: user.givenName,
  familyName: user.familyName,
  email: user.email,
  phone: user.phone,
  status,
  isRse: user.isRse,
});

/**
 * R21: identity's trail of the generated users: the first RSÉ named by the clicSÉQUR customer
 * service (R4), every other user created by that RSÉ, suspensions by it too.
 */
function identityAudit(random: Random, users: UserRow[]): AuditRow[] {
  const rows: AuditRow[] = [];
  for (const user of users) {
    const rse = user.org.users[0]!;
    const first = user === rse;
    rows.push({
      id: random.uuid(),
      occurredAt: user.createdAt,
      actorUserId: first ? CSE_AGENT_ID : rse.id,
      actorOrganizationId: first ? CSE_ORGANIZATION_ID : rse.org.id,
      organizationId: user.org.id,
      serviceId: null,
      action: first ? 'RSE_NAMED' : 'USER_CREATED',
      targetType: 'User',
      targetId: user.id,
      before: null,
      after: first
        ? { ...userSnapshot(user, 'ACTIVE'), requester: { givenName: user.givenName, familyName: user.familyName, role: 'DIRECTOR_GENERAL' } }
        : { ...userSnapshot(user, 'ACTIVE'), clicSequrCode: user.clicSequrCode },
    });
    if (user.status === 'SUSPENDED') {
      rows.push({
        id: random.uuid(),
        occurredAt: user.updatedAt,
        actorUserId: rse.id,
        actorOrganizationId: rse.org.id,
        organizationId: user.org.id,
        serviceId: null,
        action: 'USER_SUSPENDED',
        targetType: 'User',
        targetId: user.id,
        before: userSnapshot(user, 'ACTIVE'),
        after: userSnapshot(user),
      });
    }
  }
  return rows;
}
