import { stableId } from '@pgamr/kit';
import { AuditEvent } from '@pgamr/kit';
import { AuditAction } from '../src/audit/audit-actions';
import { ClicSequrRegistrationStatus, Organization, OrganizationKind } from '../src/organization/organization.entity';
import { User } from '../src/user/user.entity';
import { codeOf, startIdentity, type IdentityUnderTest } from './support';

let identity: IdentityUnderTest;
let cse: Record<string, string>;

beforeAll(async () => {
  identity = await startIdentity();
  cse = await identity.as('CSE0000001');
});

afterAll(async () => {
  await identity?.subgraph.close();
});

const LEVIS = stableId('organization', 'MUN-25213');
const MAGOG = stableId('organization', 'MUN-45072');
const FIRM = stableId('organization', 'FIRM-GCE');
const QUEBEC = stableId('organization', 'MUN-23027');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const NAME_RSE = `mutation($input: NameRseInput!) { nameRse(input: $input) { user { id clicSequrCode isRse organization { name } } temporaryPassword } }`;
const newRse = { givenName: 'Martine', familyName: 'Caron', email: 'martine.caron@ville.levis.qc.ca' };
const rseCount = (organization: string) => identity.subgraph.database.orm.em.fork().count(User, { organization, isRse: true });

describe('R4: the clicSÉQUR customer service names an RSÉ', () => {
  it('refuses a requester who is not a person in authority listed in the Répertoire, and writes nothing', async () => {
    const before = await identity.subgraph.database.orm.em.fork().count(AuditEvent);
    for (const requester of [
      { requesterGivenName: 'Jean', requesterFamilyName: 'Inconnu', requesterRole: 'MAYOR' },
      // Listed, but not with that role.
      { requesterGivenName: 'Gilles', requesterFamilyName: 'Fortin', requesterRole: 'DIRECTOR_GENERAL' },
    ]) {
      const refused = await identity.gql(NAME_RSE, { input: { organizationId: LEVIS, ...requester, newUser: newRse } }, cse);
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.errors?.[0]?.message).toMatch(/Répertoire des municipalités/);
    }
    expect(await rseCount(LEVIS)).toBe(0);
    expect(await identity.subgraph.database.orm.em.fork().count(AuditEvent)).toBe(before);
  });

  it('only the customer service names an RSÉ', async () => {
    for (const code of ['MAG0000001', 'MAM0000001']) {
      const refused = await identity.gql(
        NAME_RSE,
        { input: { organizationId: LEVIS, requesterGivenName: 'Gilles', requesterFamilyName: 'Fortin', requesterRole: 'MAYOR', newUser: newRse } },
        await identity.as(code),
      );
      expect(codeOf(refused)).toBe('FORBIDDEN');
    }
  });

  it('names a new RSÉ when the mayor listed in the Répertoire asks (accents and case aside)', async () => {
    const named = await identity.gql(
      NAME_RSE,
      { input: { organizationId: LEVIS, requesterGivenName: 'gilles', requesterFamilyName: 'FORTIN', requesterRole: 'MAYOR', newUser: newRse } },
      cse,
    );
    expect(named.errors).toBeUndefined();
    expect(named.data!.nameRse.user).toMatchObject({ isRse: true, organization: { name: 'Ville de Lévis' } });
    expect(named.data!.nameRse.temporaryPassword).toHaveLength(16);
    const trail = await identity.subgraph.database.orm.em.fork().find(AuditEvent, { organizationId: LEVIS, action: AuditAction.RseNamed });
    expect(trail).toHaveLength(1);
    expect(trail[0]!.after).toMatchObject({ requester: { givenName: 'gilles', familyName: 'FORTIN', role: 'MAYOR' }, isRse: true });
  });

  it('refuses with CONFLICT when the organization still has an active RSÉ', async () => {
    const refused = await identity.gql(
      NAME_RSE,
      { input: { organizationId: MAGOG, requesterGivenName: 'Jean', requesterFamilyName: 'Lavallée', requesterRole: 'MAYOR', newUser: newRse } },
      cse,
    );
    expect(codeOf(refused)).toBe('CONFLICT');
  });

  it('asks for exactly one of an existing user or a new one', async () => {
    const both = await identity.gql(
      NAME_RSE,
      { input: { organizationId: FIRM, requesterGivenName: 'A', requesterFamilyName: 'B', requesterRole: 'CHAIR', newUser: newRse, existingUserId: stableId('user', 'GCE0000002') } },
      cse,
    );
    expect(codeOf(both)).toBe('BAD_USER_INPUT');
  });

  it('names an existing active user of the organization RSÉ: no temporary password, they keep theirs', async () => {
    // The firm's only RSÉ (GCE0000001) leaves the role, straight in the database: it has none left.
    const em = identity.subgraph.database.orm.em.fork();
    await em.nativeUpdate(User, { organization: FIRM, isRse: true }, { isRse: false });
    const existing = stableId('user', 'GCE0000002');
    const named = await identity.gql(
      NAME_RSE,
      { input: { organizationId: FIRM, requesterGivenName: 'A', requesterFamilyName: 'B', requesterRole: 'CHAIR', existingUserId: existing } },
      cse,
    );
    expect(named.errors).toBeUndefined();
    expect(named.data!.nameRse).toMatchObject({ user: { id: existing, isRse: true }, temporaryPassword: null });
  });
});

describe('R5: corrections to the Répertoire des municipalités', () => {
  const CORRECT = `mutation($id: ID!, $persons: [PersonInAuthorityInput!]!) {
    correctRepertoire(input: { organizationId: $id, personsInAuthority: $persons }) { organization { personsInAuthority { role givenName familyName } } } }`;
  const persons = [
    { role: 'MAYOR', givenName: 'Nicole', familyName: 'Bergeron' },
    { role: 'DIRECTOR_GENERAL', givenName: 'Isabelle', familyName: 'Tremblay' },
  ];

  it("is refused to another region's direction and to the customer service; the organization's users wait for the decision point", async () => {
    for (const code of ['MAM0000002', 'CSE0000001']) {
      expect(codeOf(await identity.gql(CORRECT, { id: MAGOG, persons }, await identity.as(code)))).toBe('FORBIDDEN');
    }
    // No decision point answers here: whether Magog's RSÉ holds the service right cannot be told,
    // so the correction is refused as an outage (retryable), never as "no right".
    expect(codeOf(await identity.gql(CORRECT, { id: MAGOG, persons }, await identity.as('MAG0000001')))).toBe('SERVICE_UNAVAILABLE');
  });

  it('lets the regional direction (DR-05 for Estrie) replace the persons in authority, audited before/after', async () => {
    const corrected = await identity.gql(CORRECT, { id: MAGOG, persons }, await identity.as('MAM0000004'));
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.correctRepertoire.organization.personsInAuthority).toEqual(expect.arrayContaining(persons));
    const [event] = await identity.subgraph.database.orm.em.fork().find(AuditEvent, { organizationId: MAGOG, action: AuditAction.RepertoireCorrected });
    expect(event!.before).toMatchObject({ personsInAuthority: expect.arrayContaining([{ role: 'MAYOR', givenName: 'Jean', familyName: 'Lavallée' }]) as unknown });
    expect(event!.after).toEqual({ personsInAuthority: persons });
  });

  it('refuses an empty list or a blank name with a French message, and changes nothing', async () => {
    const dr05 = await identity.as('MAM0000004');
    for (const bad of [[], [{ role: 'MAYOR', givenName: ' ', familyName: 'X' }]]) {
      const refused = await identity.gql(CORRECT, { id: MAGOG, persons: bad }, dr05);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.personsInAuthority' });
    }
    const now = await identity.gql(`{ organization(id: "${MAGOG}") { personsInAuthority { givenName } } }`, {}, dr05);
    expect(now.data!.organization.personsInAuthority).toHaveLength(2);
  });
});

describe("R5: a municipal body's MRC in the Répertoire des municipalités", () => {
  const MRC_450 = stableId('organization', 'MRC-450');
  const CORRECT_MRC = `mutation($input: CorrectRepertoireInput!) { correctRepertoire(input: $input) { organization { id mrc { id name } } } }`;
  const MRC_OF = `query($id: ID!) { organization(id: $id) { mrc { id name kind } } }`;
  const sherbrookePersons = [{ role: 'MAYOR', givenName: 'Hélène', familyName: 'Dubé' }];
  const fork = () => identity.subgraph.database.orm.em.fork();

  it('R5, R20: any signed-in user reads a body’s MRC, an MRC’s being itself, null for a city outside any MRC', async () => {
    const reader = await identity.as('GCE0000002');
    const magog = await identity.gql(MRC_OF, { id: MAGOG }, reader);
    expect(magog.errors).toBeUndefined();
    expect(magog.data!.organization.mrc).toEqual({ id: MRC_450, name: 'MRC de Memphrémagog', kind: 'MRC' });
    expect((await identity.gql(MRC_OF, { id: MRC_450 }, reader)).data!.organization.mrc).toMatchObject({ id: MRC_450 });
    expect((await identity.gql(MRC_OF, { id: SHERBROOKE }, reader)).data!.organization.mrc).toBeNull();
  });

  it('R5: the regional direction puts a body in an MRC, audited before/after like its region', async () => {
    const dr05 = await identity.as('MAM0000004');
    const corrected = await identity.gql(CORRECT_MRC, { input: { organizationId: SHERBROOKE, personsInAuthority: sherbrookePersons, mrcId: MRC_450 } }, dr05);
    expect(corrected.errors).toBeUndefined();
    expect(corrected.data!.correctRepertoire.organization.mrc).toEqual({ id: MRC_450, name: 'MRC de Memphrémagog' });
    const [event] = await fork().find(AuditEvent, { organizationId: SHERBROOKE, action: AuditAction.RepertoireCorrected }, { orderBy: { occurredAt: 'desc' } });
    expect(event!.before).toMatchObject({ mrcId: null });
    expect(event!.after).toEqual({ personsInAuthority: sherbrookePersons, mrcId: MRC_450 });
  });

  it('R5: refuses an MRC that is no MRC organization, and an MRC other than itself for an MRC, on input.mrcId, changing nothing', async () => {
    const dr05 = await identity.as('MAM0000004');
    const other = fork();
    const coaticook = other.create(Organization, {
      kind: OrganizationKind.Mrc,
      name: 'MRC de Coaticook',
      geographicCode: '440',
      administrativeRegion: '05 Estrie',
      clicSequrStatus: ClicSequrRegistrationStatus.Registered,
    });
    await other.flush();
    const trail = await fork().count(AuditEvent);
    const replaced = [{ role: 'MAYOR', givenName: 'Autre', familyName: 'Personne' }];
    for (const [organizationId, mrcId] of [
      [MAGOG, SHERBROOKE],
      [MAGOG, FIRM],
      [MAGOG, '9b2f4c1e-2a6d-4e57-9c1a-3f0e8b7d6a51'],
      [MAGOG, 'pas-un-identifiant'],
      [MRC_450, coaticook.id],
    ] as const) {
      const refused = await identity.gql(CORRECT_MRC, { input: { organizationId, personsInAuthority: replaced, mrcId } }, dr05);
      expect(refused.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.mrcId' });
      expect(refused.errors?.[0]?.message).toMatch(/MRC/);
    }
    const magog = await fork().findOneOrFail(Organization, MAGOG, { populate: ['mrc'] });
    expect(magog.mrc?.id).toBe(MRC_450);
    expect((await fork().findOneOrFail(Organization, MRC_450)).mrc?.id).toBe(MRC_450);
    expect(await fork().count(AuditEvent)).toBe(trail);
    const persons = await identity.gql(`{ organization(id: "${MAGOG}") { personsInAuthority { givenName } } }`, {}, dr05);
    expect(persons.data!.organization.personsInAuthority.map((person: { givenName: string }) => person.givenName)).not.toContain('Autre');
  });
});

describe('R3: only an organization registered with clicSÉQUR – Entreprises has users', () => {
  it('no RSÉ is named in an unregistered organization, and its users cannot sign in', async () => {
    const em = identity.subgraph.database.orm.em.fork();
    await em.nativeUpdate(Organization, { id: QUEBEC }, { clicSequrStatus: ClicSequrRegistrationStatus.Pending });
    const named = await identity.gql(
      NAME_RSE,
      { input: { organizationId: QUEBEC, requesterGivenName: 'Claude', requesterFamilyName: 'Bélanger', requesterRole: 'MAYOR', newUser: newRse } },
      cse,
    );
    expect(codeOf(named)).toBe('FORBIDDEN');
    expect(named.errors?.[0]?.message).toMatch(/inscrite à clicSÉQUR/);
    expect(await rseCount(QUEBEC)).toBe(0);

    await em.nativeUpdate(Organization, { id: SHERBROOKE }, { clicSequrStatus: ClicSequrRegistrationStatus.Revoked });
    const signIn = await identity.gql('mutation { signIn(input: { clicSequrCode: "SHE0000001", password: "Demo-PGAMR-2026!" }) { session { accessToken } } }');
    expect(codeOf(signIn)).toBe('FORBIDDEN');
    expect(signIn.errors?.[0]?.message).toMatch(/pas inscrite/);
  });
});
