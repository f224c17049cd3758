import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute } from '@pgamr/kit/testing';
import { AccessRight } from '../src/access/access.entity';
import { OnlineService } from '../src/online-service/online-service.entity';
import { seedCatalog } from '../src/seed/reference-data';
import { servicesSubgraph } from '../src/server';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
let signedIn: Record<string, string>;

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl });
  const token = await issuer.mint({ userId: stableId('user', 'MAG0000002'), organizationId: stableId('organization', 'MUN-45072') });
  signedIn = { authorization: `Bearer ${token}` };
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

type Service = {
  code: string;
  sector: { code: string; name: string };
  owner: { ministry: string; directionCode: string };
  supportContact: { phone: string; email: string };
};

describe('services subgraph: the catalog', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it('R7: lists the DGI programs and PERFORM, each with its sector and owning direction', async () => {
    const { data } = await execute<{ onlineServices: { nodes: Service[] } }>(
      subgraph.url,
      '{ onlineServices { nodes { code sector { code name } owner { ministry directionCode } supportContact { phone email } } } }',
      {},
      signedIn,
    );
    const byCode = new Map(data!.onlineServices.nodes.map((service) => [service.code, service]));
    for (const program of ['TECQ', 'PRIMEAU', 'FIMEAU', 'PRACIM', 'RÉCIM', 'PRABAM']) {
      expect(byCode.get(program)).toMatchObject({
        sector: { code: 'INFRASTRUCTURES', name: 'Infrastructures' },
        owner: { ministry: "Ministère des Affaires municipales et de l'Habitation", directionCode: 'DGI' },
      });
    }
    expect(byCode.get('PERFORM')).toMatchObject({
      sector: { code: 'MUNICIPAL_FINANCES', name: 'Finances municipales' },
      owner: { directionCode: 'DNIFF' },
    });
  });

  it('R22: gives the right help contact for each service', async () => {
    const { data } = await execute<{ onlineServices: { nodes: Service[] } }>(
      subgraph.url,
      '{ onlineServices { nodes { code supportContact { phone email } } } }',
      {},
      signedIn,
    );
    const contact = (code: string) => data!.onlineServices.nodes.find((service) => service.code === code)?.supportContact;
    expect(contact('TECQ')).toEqual({ phone: '418 691-2005', email: 'infrastructures@mamh.gouv.qc.ca' });
    expect(contact('PERFORM')).toEqual({ phone: '418 691-2010', email: 'information.financiere@mamh.gouv.qc.ca' });
    expect(contact('MAJ-CLIENTELE')).toEqual({ phone: '418 691-2066', email: 'portail@mamh.gouv.qc.ca' });
  });

  it('R7: pages the catalog by sector then code, 20 by default, 100 at most, with its total when asked', async () => {
    type Page = { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string }; edges: Array<{ cursor: string; node: { code: string } }> };
    const query = 'query($first: Int, $after: String) { onlineServices(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { code } } } }';
    const page = async (variables: Record<string, unknown>) => (await execute<{ onlineServices: Page }>(subgraph.url, query, variables, signedIn)).data!.onlineServices;
    const whole = await page({});
    expect(whole.edges.length).toBe(whole.totalCount);
    expect(whole.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    const first = await page({ first: 3 });
    const second = await page({ first: 3, after: first.pageInfo.endCursor });
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    expect([...first.edges, ...second.edges].map((edge) => edge.node.code)).toEqual(whole.edges.slice(0, 6).map((edge) => edge.node.code));
    expect(first.pageInfo.endCursor).toBe(first.edges[2]!.cursor);
    for (const bad of [{ first: 0 }, { first: 101 }, { after: 'pas-un-curseur' }]) {
      const refused = await execute(subgraph.url, query, bad, signedIn);
      expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('resolves OnlineService references for the gateway, null when unknown', async () => {
    const { data } = await execute(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on OnlineService { code name } } }',
      {
        r: [
          { __typename: 'OnlineService', id: stableId('online-service', 'PERFORM') },
          { __typename: 'OnlineService', id: 'pas-un-id' },
        ],
      },
      signedIn,
    );
    expect(data).toEqual({
      _entities: [{ code: 'PERFORM', name: 'Prestation électronique de reddition financière des organismes municipaux' }, null],
    });
  });

  it('R20: answers nothing to a caller without a valid token', async () => {
    const anonymous = await execute(subgraph.url, '{ onlineServices { nodes { code } } }');
    expect(anonymous.data).toBeNull();
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const expired = await issuer.mint({ userId: stableId('user', 'MAG0000002'), organizationId: stableId('organization', 'MUN-45072'), expiresIn: -60 });
    const late = await execute(subgraph.url, '{ onlineServices { nodes { code } } }', {}, { authorization: `Bearer ${expired}` });
    expect(late.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(late.errors?.[0]?.message).toContain('expiré');
    const reference = await execute(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on OnlineService { code } } }',
      { r: [{ __typename: 'OnlineService', id: stableId('online-service', 'TECQ') }] },
      { 'x-user-id': stableId('user', 'MAG0000002') },
    );
    expect(JSON.stringify(reference.data ?? null)).not.toContain('TECQ');
    expect(reference.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('has the catalog even where no demo data is seeded (production)', async () => {
    const bare = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl, seedDemoData: false });
    try {
      const em = bare.database.orm.em.fork();
      expect(await em.count(OnlineService)).toBeGreaterThanOrEqual(8);
      expect(await em.count(AccessRight)).toBe(0);
    } finally {
      await bare.close();
    }
  });

  it('seeds idempotently and never overwrites an edited entry', async () => {
    const em = subgraph.database.orm.em.fork();
    const tecq = await em.findOneOrFail(OnlineService, { code: 'TECQ' });
    tecq.description = 'Description revue par la DGI.';
    await em.flush();
    const count = await em.count(OnlineService);
    await em.fork().transactional((tx) => seedCatalog(tx));
    const fresh = subgraph.database.orm.em.fork();
    expect(await fresh.count(OnlineService)).toBe(count);
    expect((await fresh.findOneOrFail(OnlineService, { code: 'TECQ' })).description).toBe('Description revue par la DGI.');
  });
});
