import { stableId } from '@pgamr/kit';
import { IdentityRole } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer } from '@pgamr/kit/testing';
import { execute } from '../../../tests/support/graphql';
import { Dossier } from '../src/dossier/dossier.entity';
import { seedMandatesDemoData } from '../src/seed/demo-data';
import { mandatesSubgraph } from '../src/server';

let subgraph: TestSubgraph;
let issuer: TestTokenIssuer;
let staff: Record<string, string>;
let magogUser: Record<string, string>;

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const QUEBEC = stableId('organization', 'MUN-23027');

beforeAll(async () => {
  issuer = await startTestTokenIssuer();
  subgraph = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl, rightsUrl: issuer.rightsUrl });
  issuer.grant(stableId('user', 'MAG0000002'), { serviceId: stableId('online-service', 'TECQ'), organizationId: MAGOG, role: 'USER' });
  const bearer = async (claims: Parameters<TestTokenIssuer['mint']>[0]) => ({ authorization: `Bearer ${await issuer.mint(claims)}` });
  staff = await bearer({
    userId: stableId('user', 'MAM0000002'),
    organizationId: stableId('organization', 'MIN-MAMH'),
    roles: [IdentityRole.MinistryStaff],
    direction: 'DGI',
  });
  magogUser = await bearer({ userId: stableId('user', 'MAG0000002'), organizationId: MAGOG });
});

afterAll(async () => {
  await subgraph?.close();
  await issuer?.close();
});

describe('mandates subgraph: dossiers', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it("adds each organization's dossiers, newest first, one list per representation", async () => {
    const { data } = await execute<{ _entities: Array<{ dossiers: Array<{ title: string; createdAt: string }> }> }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers { title createdAt } } } }',
      { r: [MAGOG, QUEBEC, SHERBROOKE].map((id) => ({ __typename: 'Organization', id })) },
      staff,
    );
    const [magog, quebec, sherbrooke] = data!._entities;
    expect(magog!.dossiers.map((d) => d.title)).toEqual([
      'Réfection de la rue Principale Ouest',
      "Mise aux normes de l'usine de production d'eau potable",
      "Rénovation de l'hôtel de ville",
    ]);
    expect(quebec!.dossiers).toEqual([]);
    expect(sherbrooke!.dossiers.map((d) => d.title)).toEqual(['Agrandissement du centre communautaire']);
  });

  it('points a dossier at its organization and service as references resolved elsewhere', async () => {
    const id = stableId('dossier', 'MAG-TECQ-2024');
    const { data } = await execute(subgraph.url, `{ dossier(id: "${id}") {
      title status requestedAmount organization { __typename id } service { __typename id } } }`, {}, magogUser);
    expect(data).toEqual({
      dossier: {
        title: 'Réfection de la rue Principale Ouest',
        status: 'DRAFT',
        requestedAmount: 1_250_000,
        organization: { __typename: 'Organization', id: MAGOG },
        service: { __typename: 'OnlineService', id: stableId('online-service', 'TECQ') },
      },
    });
  });

  it('keeps amounts exact to the cent', async () => {
    const em = subgraph.database.orm.em.fork();
    const dossier = em.create(Dossier, {
      organizationId: QUEBEC,
      serviceId: stableId('online-service', 'TECQ'),
      title: 'Essai de précision',
      requestedAmount: '123456789012.34',
    });
    await em.flush();
    const { data } = await execute<{ dossier: { requestedAmount: number } }>(
      subgraph.url,
      `{ dossier(id: "${dossier.id}") { requestedAmount } }`,
      {},
      staff,
    );
    expect(data!.dossier.requestedAmount).toBe(123456789012.34);
  });

  it("R20: a user of another organization sees neither the dossier nor the organization's list", async () => {
    const sherbrookeUser = { authorization: `Bearer ${await issuer.mint({ userId: stableId('user', 'SHE0000001'), organizationId: SHERBROOKE })}` };
    const id = stableId('dossier', 'MAG-TECQ-2024');
    const direct = await execute(subgraph.url, `{ dossier(id: "${id}") { title } }`, {}, sherbrookeUser);
    expect(direct).toEqual({ data: { dossier: null }, errors: undefined });
    const list = await execute<{ _entities: unknown[] }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers { title } } } }',
      { r: [{ __typename: 'Organization', id: MAGOG }] },
      sherbrookeUser,
    );
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(JSON.stringify(list.data)).not.toContain('Principale');
    const anonymous = await execute(subgraph.url, `{ dossier(id: "${id}") { title } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('R14: a user of the organization sees only the dossiers of services they hold a right on, until it is revoked', async () => {
    const list = () =>
      execute<{ _entities: Array<{ dossiers: Array<{ title: string }> }> }>(
        subgraph.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers { title } } } }',
        { r: [{ __typename: 'Organization', id: MAGOG }] },
        magogUser,
      );
    expect((await list()).data!._entities[0]!.dossiers.map((d) => d.title)).toEqual(['Réfection de la rue Principale Ouest']);
    issuer.revokeAll(stableId('user', 'MAG0000002'));
    // The very next request: no right, no dossier.
    expect((await list()).data!._entities[0]!.dossiers).toEqual([]);
    const direct = await execute(subgraph.url, `{ dossier(id: "${stableId('dossier', 'MAG-TECQ-2024')}") { title } }`, {}, magogUser);
    expect(direct.data).toEqual({ dossier: null });
    issuer.grant(stableId('user', 'MAG0000002'), { serviceId: stableId('online-service', 'TECQ'), organizationId: MAGOG, role: 'USER' });
  });

  it('asks the decision point once per request, whatever the number of records checked', async () => {
    const before = issuer.rightsCalls();
    const representations = ['MAG-TECQ-2024', 'MAG-PRIMEAU-2023', 'MAG-PRABAM-2023', 'SHE-RECIM-2024', 'LEV-FIMEAU-2024'].map((key) => ({
      __typename: 'Dossier',
      id: stableId('dossier', key),
    }));
    const response = await execute<{ _entities: Array<{ title: string } | null> }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { title organization { id } } } }',
      { r: [...representations, { __typename: 'Organization', id: MAGOG }] },
      magogUser,
    );
    expect(response.data!._entities.filter(Boolean)).toHaveLength(2); // the TECQ dossier, and Magog's organization
    expect(issuer.rightsCalls() - before).toBe(1);
  });

  it('fails closed: without an answer from the decision point, a user of the organization reads nothing', async () => {
    const blind = await startTestSubgraph(mandatesSubgraph, { jwksUrl: issuer.jwksUrl });
    try {
      const response = await execute(blind.url, `{ dossier(id: "${stableId('dossier', 'MAG-TECQ-2024')}") { title } }`, {}, magogUser);
      expect(response).toEqual({ data: { dossier: null }, errors: undefined });
    } finally {
      await blind.close();
    }
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = subgraph.database.orm.em.fork();
    const before = await em.count(Dossier);
    await em.transactional((tx) => seedMandatesDemoData(tx));
    expect(await em.count(Dossier)).toBe(before);
  });
});
