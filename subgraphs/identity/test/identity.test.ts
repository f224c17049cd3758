import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges } from '@pgamr/kit/testing';
import { Organization } from '../src/organization/organization.entity';
import { PersonInAuthority } from '../src/repertoire/person-in-authority.entity';
import { seedIdentityDemoData } from '../src/seed/demo-data';
import { User } from '../src/user/user.entity';
import { codeOf, startIdentity, type IdentityUnderTest } from './support';

let identity: IdentityUnderTest;
let marc: Record<string, string>;

beforeAll(async () => {
  identity = await startIdentity();
  marc = await identity.as('MAG0000002');
});

afterAll(async () => {
  await identity?.subgraph.close();
});

const MAGOG = stableId('organization', 'MUN-45072');

describe('identity subgraph', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(identity.subgraph.database.orm)).toBe('');
  });

  it('reads an organization with its Répertoire data, for a signed-in user', async () => {
    const { data } = await identity.gql(
      `{ organization(id: "${MAGOG}") { name kind clicSequrStatus geographicCode administrativeRegion hasActiveRse
         personsInAuthority { role givenName familyName } } }`,
      {},
      marc,
    );
    expect(data).toEqual({
      organization: {
        name: 'Ville de Magog',
        kind: 'LOCAL_MUNICIPALITY',
        clicSequrStatus: 'REGISTERED',
        geographicCode: '45072',
        administrativeRegion: '05 Estrie',
        hasActiveRse: true,
        personsInAuthority: [
          { role: 'DIRECTOR_GENERAL', givenName: 'Isabelle', familyName: 'Tremblay' },
          { role: 'MAYOR', givenName: 'Jean', familyName: 'Lavallée' },
        ],
      },
    });
  });

  it('R20: reads nothing without a token', async () => {
    for (const query of [`{ organization(id: "${MAGOG}") { name } }`, '{ municipalBodies { nodes { name } } }', '{ me { id } }']) {
      const response = await identity.gql(query);
      expect(codeOf(response)).toBe('UNAUTHENTICATED');
      expect(JSON.stringify(response.data ?? null)).not.toMatch(/Magog|"id"/);
    }
  });

  it('R5: lists only municipal bodies in the Répertoire, by name, a page at a time', async () => {
    const { data } = await identity.gql<{ municipalBodies: { nodes: Array<{ name: string; kind: string }>; totalCount: number } }>(
      '{ municipalBodies(first: 100) { nodes { name kind } totalCount } }',
      {},
      marc,
    );
    const names = data!.municipalBodies.nodes.map((body) => body.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(names).toEqual(expect.arrayContaining(['Ville de Magog', 'MRC de Memphrémagog']));
    expect(data!.municipalBodies.nodes.map((body) => body.kind)).not.toContain('CONSULTING_FIRM');
    expect(data!.municipalBodies.totalCount).toBe(names.length);

    // Page by page with the cursors, the same bodies in the same order, each once.
    type Page = { municipalBodies: { nodes: Array<{ name: string }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } } };
    const paged: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 50; pages++) {
      const page: Page = (await identity.gql<Page>('query($after: String) { municipalBodies(first: 2, after: $after) { nodes { name } pageInfo { hasNextPage hasPreviousPage endCursor } } }', { after }, marc)).data!;
      expect(page.municipalBodies.pageInfo.hasPreviousPage).toBe(after !== null);
      paged.push(...page.municipalBodies.nodes.map((body) => body.name));
      if (!page.municipalBodies.pageInfo.hasNextPage) break;
      after = page.municipalBodies.pageInfo.endCursor;
    }
    expect(paged).toEqual(names);
  });

  it('refuses a page size outside 1..100 or a forged cursor as bad input, for that field only', async () => {
    for (const [variables, field] of [
      [{ first: 101 }, 'first'],
      [{ first: 0 }, 'first'],
      [{ after: 'pas-un-curseur' }, 'after'],
    ] as const) {
      const response = await identity.gql('query($first: Int, $after: String) { municipalBodies(first: $first, after: $after) { nodes { name } } }', variables, marc);
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('resolves Organization and User references for the gateway, in order, null when unknown or not visible', async () => {
    const { data } = await identity.gql(
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
         ... on Organization { name }
         ... on User { givenName organization { name kind } }
       } }`,
      {
        representations: [
          { __typename: 'User', id: stableId('user', 'MAG0000001') },
          { __typename: 'Organization', id: MAGOG },
          { __typename: 'Organization', id: stableId('organization', 'nowhere') },
          // R20: a user of another organization is not visible to Marc.
          { __typename: 'User', id: stableId('user', 'GCE0000001') },
        ],
      },
      marc,
    );
    expect(data).toEqual({
      _entities: [{ givenName: 'Isabelle', organization: { name: 'Ville de Magog', kind: 'LOCAL_MUNICIPALITY' } }, { name: 'Ville de Magog' }, null, null],
    });
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = identity.subgraph.database.orm.em.fork();
    const count = async () => [await em.count(Organization), await em.count(User), await em.count(PersonInAuthority)];
    const before = await count();
    await em.transactional((tx) => seedIdentityDemoData(tx));
    expect(await count()).toEqual(before);
  });

  it('publishes its signing keys as a JWKS, public parts only', async () => {
    const response = await fetch(`${identity.subgraph.origin}/.well-known/jwks.json`);
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(keys.length).toBeGreaterThan(0);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys.every((key) => key.kid && !('d' in key))).toBe(true);
  });
});
