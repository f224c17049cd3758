import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, type TestSubgraph } from '@pgamr/kit/testing';
import { execute } from '../../../tests/support/graphql';
import { Organization } from '../src/organization/organization.entity';
import { seedIdentityDemoData } from '../src/seed/demo-data';
import { identitySubgraph } from '../src/server';
import { User } from '../src/user/user.entity';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(identitySubgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

const MAGOG = stableId('organization', 'MUN-45072');

describe('identity subgraph', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it('reads an organization with its Répertoire data', async () => {
    const { data } = await execute(subgraph.url, `{ organization(id: "${MAGOG}") { name kind clicSequrStatus geographicCode administrativeRegion } }`);
    expect(data).toEqual({
      organization: {
        name: 'Ville de Magog',
        kind: 'LOCAL_MUNICIPALITY',
        clicSequrStatus: 'REGISTERED',
        geographicCode: '45072',
        administrativeRegion: '05 Estrie',
      },
    });
  });

  it('R5: lists only municipal bodies in the Répertoire, by name', async () => {
    const { data } = await execute<{ municipalBodies: Array<{ name: string; kind: string }> }>(subgraph.url, '{ municipalBodies { name kind } }');
    const names = data!.municipalBodies.map((body) => body.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(names).toEqual(expect.arrayContaining(['Ville de Magog', 'MRC de Memphrémagog']));
    expect(data!.municipalBodies.map((body) => body.kind)).not.toContain('CONSULTING_FIRM');
    expect(names).not.toContain('Génie-Conseil Estrie inc.');
  });

  it('resolves Organization and User references for the gateway, in order, null when unknown', async () => {
    const user = stableId('user', 'GCE0000001');
    const { data } = await execute(
      subgraph.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
         ... on Organization { name }
         ... on User { clicSequrCode givenName organization { name kind } }
       } }`,
      {
        representations: [
          { __typename: 'User', id: user },
          { __typename: 'Organization', id: MAGOG },
          { __typename: 'Organization', id: stableId('organization', 'nowhere') },
        ],
      },
    );
    expect(data).toEqual({
      _entities: [
        { clicSequrCode: 'GCE0000001', givenName: 'Julien', organization: { name: 'Génie-Conseil Estrie inc.', kind: 'CONSULTING_FIRM' } },
        { name: 'Ville de Magog' },
        null,
      ],
    });
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = subgraph.database.orm.em.fork();
    const before = [await em.count(Organization), await em.count(User)];
    await em.transactional((tx) => seedIdentityDemoData(tx));
    expect([await em.count(Organization), await em.count(User)]).toEqual(before);
  });
});
