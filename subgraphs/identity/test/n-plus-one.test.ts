import { AuditEvent, stableId } from '@pgamr/kit';
import { startTestSubgraph, statementsDuring, type TestSubgraph, execute, bearer, signIn } from '@pgamr/kit/testing';
import { AuditAction } from '../src/audit/audit-actions';
import { hashPassword } from '../src/auth/passwords';
import { ClicSequrRegistrationStatus, Organization, OrganizationKind } from '../src/organization/organization.entity';
import { AuthorityRole, PersonInAuthority } from '../src/repertoire/person-in-authority.entity';
import { identitySubgraph } from '../src/server';
import { User, UserStatus } from '../src/user/user.entity';

// Issue 7: the number of SQL statements an operation costs does not grow with the number of
// records listed or of representations in an `_entities` batch. Each case runs with 10 and with
// 100 records, every field this subgraph resolves selected, and must cost exactly as many.

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const id = (kind: string, key: string | number) => stableId(kind, `n-plus-one:${key}`);
const PASSWORD = 'Compter-les-requetes-2026!';

const MINISTRY = id('organization', 'ministry');
const VIEWER_CODE = 'NPO0000001';
const BIG = id('organization', 'big');
const SMALL = id('organization', 'small');
// The first 10 bodies are municipal from the start; the other 90 become municipal during the test.
const bodies = range(100).map((i) => id('organization', `body-${i}`));
const bigUsers = range(100).map((i) => id('user', `big-${i}`));
const smallUsers = range(10).map((i) => id('user', `small-${i}`));
const bodyUsers = bodies.map((_, i) => id('user', `body-${i}`));

const ORGANIZATION_OWN = `id kind name neq clicSequrStatus geographicCode administrativeRegion hasActiveRse
  personsInAuthority { role givenName familyName }`;
const USER_OWN = 'id givenName familyName clicSequrCode email phone status isRse direction';
const PAGE = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }';
const USER = `${USER_OWN} organization { ${ORGANIZATION_OWN} users { nodes { id } edges { cursor } ${PAGE} } }`;
/** An organization with every field, its users' page as large as the case needs (the cost limit counts each page at its `first`). */
const organization = (users: number) => `${ORGANIZATION_OWN} users(first: ${users}) { nodes { ${USER} } edges { cursor node { id } } ${PAGE} }`;

let subgraph: TestSubgraph;
let headers: Record<string, string>;
/**
 * Identity re-reads its signing keys once their 5-second cache has expired, on whichever request
 * verifies a token then: a cost of time, not of the records, so it is left out of the counts.
 */
let keyReloads = 0;

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph, { seedDemoData: false });
  subgraph.database.orm.em
    .getConnection()
    .getKnex()
    .on('query', ({ sql }: { sql: string }) => {
      if (sql.includes('from "signing_key"')) keyReloads += 1;
    });
  await insertRecords();
  headers = bearer(await signIn(subgraph.url, VIEWER_CODE, PASSWORD));
});

afterAll(async () => {
  await subgraph?.close();
});

/** Everything in bulk, straight into the database: a few statements, not hundreds of mutations. */
async function insertRecords(): Promise<void> {
  const em = subgraph.database.orm.em.fork();
  const organization = (organizationId: string, name: string, kind: OrganizationKind) => ({
    id: organizationId,
    kind,
    name,
    neq: null,
    clicSequrStatus: ClicSequrRegistrationStatus.Registered,
    geographicCode: null,
    administrativeRegion: '05 Estrie',
    createdAt: new Date(),
  });
  await em.insertMany(Organization, [
    organization(MINISTRY, "Ministère des Affaires municipales et de l'Habitation", OrganizationKind.Ministry),
    organization(BIG, 'Grande régie', OrganizationKind.OtherOrganism),
    organization(SMALL, 'Petite régie', OrganizationKind.OtherOrganism),
    ...bodies.map((body, i) => organization(body, `Municipalité ${i}`, i < 10 ? OrganizationKind.LocalMunicipality : OrganizationKind.OtherOrganism)),
  ]);
  const passwordHash = await hashPassword(PASSWORD);
  const user = (userId: string, code: string, organizationId: string, i: number, extra: { isRse?: boolean; direction?: string } = {}) => ({
    id: userId,
    clicSequrCode: code,
    givenName: `Prénom ${i}`,
    familyName: `Nom ${i}`,
    email: `${code.toLowerCase()}@example.qc.ca`,
    phone: '418 555-0100',
    status: UserStatus.Active,
    isRse: extra.isRse ?? i === 0,
    direction: extra.direction ?? null,
    organization: organizationId,
    passwordHash,
    passwordIsTemporary: false,
    temporaryPasswordExpiresAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  await em.insertMany(User, [
    // R2, R20: the DGOMR sees every organization's users and their contact details.
    user(id('user', 'viewer'), VIEWER_CODE, MINISTRY, 1, { direction: 'DGOMR' }),
    ...bigUsers.map((userId, i) => user(userId, `NPB${String(i).padStart(7, '0')}`, BIG, i)),
    ...smallUsers.map((userId, i) => user(userId, `NPS${String(i).padStart(7, '0')}`, SMALL, i)),
    ...bodyUsers.map((userId, i) => user(userId, `NPM${String(i).padStart(7, '0')}`, bodies[i]!, 0)),
  ]);
  await em.insertMany(
    PersonInAuthority,
    [BIG, SMALL, ...bodies].flatMap((organizationId, i) => [
      { id: id('person', `${i}-mayor`), organization: organizationId, role: AuthorityRole.Mayor, givenName: 'Maire', familyName: `${i}` },
      { id: id('person', `${i}-dg`), organization: organizationId, role: AuthorityRole.DirectorGeneral, givenName: 'Directeur', familyName: `${i}` },
    ]),
  );
  await em.insertMany(
    AuditEvent,
    range(120).map((i) => ({
      id: id('audit', i),
      occurredAt: new Date(Date.UTC(2026, 0, 31) - i * 60_000),
      actorUserId: bigUsers[0]!,
      actorOrganizationId: BIG,
      organizationId: BIG,
      serviceId: null,
      action: AuditAction.UserProfileChanged,
      targetType: 'User',
      targetId: bigUsers[i % bigUsers.length]!,
      before: { email: 'avant@example.qc.ca' },
      after: { email: 'apres@example.qc.ca' },
    })),
  );
}

type Data = Record<string, any>;

/** Runs an operation: the statements it cost and its answer, which must hold no error. */
async function measure(query: string, variables: Record<string, unknown>): Promise<{ statements: number; data: Data }> {
  const reloadsBefore = keyReloads;
  const { statements, result } = await statementsDuring(subgraph.origin, () => execute<Data>(subgraph.url, query, variables, headers));
  expect(result.errors).toBeUndefined();
  return { statements: statements - (keyReloads - reloadsBefore), data: result.data! };
}

const entities = (selection: string) => `query($r: [_Any!]!) { _entities(representations: $r) { ${selection} } }`;
const representations = (typename: string, ids: readonly string[], n: number) => ({ r: ids.slice(0, n).map((key) => ({ __typename: typename, id: key })) });

describe('identity subgraph: as many SQL statements for 100 records as for 10 (issue 7)', () => {
  it("R2, R20: an organization's users, every field, for the DGOMR: 10, then 100 users", async () => {
    const query = `query($id: ID!) { organization(id: $id) { ${organization(100)} } }`;
    const small = await measure(query, { id: SMALL });
    const large = await measure(query, { id: BIG });
    expect([small.data.organization.users.nodes.length, large.data.organization.users.nodes.length]).toEqual([10, bigUsers.length]);
    expect([small.data.organization.users.totalCount, large.data.organization.users.totalCount]).toEqual([10, bigUsers.length]);
    expect(large.statements).toBe(small.statements);
  });

  it('R5: the municipal bodies with their persons in authority and users: 10, then 100 bodies', async () => {
    // Each body has one user: a page of 10 shows them all.
    const query = `{ municipalBodies(first: 100) { nodes { ${organization(10)} } edges { cursor } ${PAGE} } }`;
    const small = await measure(query, {});
    await subgraph.database.orm.em.fork().nativeUpdate(Organization, { id: { $in: bodies.slice(10) } }, { kind: OrganizationKind.Mrc });
    const large = await measure(query, {});
    expect([small.data.municipalBodies.nodes.length, large.data.municipalBodies.nodes.length]).toEqual([10, 100]);
    expect(large.statements).toBe(small.statements);
  });

  it("R21: a page of 10, then 100 entries of an organization's audit trail, for the DGOMR", async () => {
    const query = `query($n: Int) { auditTrail(organizationId: "${BIG}", first: $n) {
      nodes { id occurredAt action actor { ${USER_OWN} } targetType targetId before after } edges { cursor node { id } } ${PAGE} } }`;
    const small = await measure(query, { n: 10 });
    const large = await measure(query, { n: 100 });
    expect([small.data.auditTrail.nodes.length, large.data.auditTrail.nodes.length]).toEqual([10, 100]);
    expect(large.data.auditTrail.nodes.every((event: Data) => event.actor?.id === bigUsers[0])).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('R20: a batch of 10, then 100 organizations, with their users and persons in authority', async () => {
    const query = entities(`... on Organization { ${organization(10)} }`);
    const small = await measure(query, representations('Organization', bodies, 10));
    const large = await measure(query, representations('Organization', bodies, 100));
    const withUsers = (data: Data) => (data._entities as Data[]).filter((o) => o.users.nodes.length > 0 && o.personsInAuthority.length > 0).length;
    expect([withUsers(small.data), withUsers(large.data)]).toEqual([10, 100]);
    expect(large.statements).toBe(small.statements);
  });

  it('R20: a batch of 10, then 100 users of as many organizations, with their organization', async () => {
    const query = entities(`... on User { ${USER} }`);
    const small = await measure(query, representations('User', bodyUsers, 10));
    const large = await measure(query, representations('User', bodyUsers, 100));
    const found = (data: Data) => (data._entities as Array<Data | null>).filter((u) => u?.email && u.organization.users.nodes.length > 0).length;
    expect([found(small.data), found(large.data)]).toEqual([10, 100]);
    expect(large.statements).toBe(small.statements);
  });
});
