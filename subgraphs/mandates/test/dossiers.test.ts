import { stableId } from '@pgamr/kit';
import { pendingSchemaChanges, startTestSubgraph, type TestSubgraph } from '@pgamr/kit/testing';
import { execute } from '../../../tests/support/graphql';
import { Dossier } from '../src/dossier/dossier.entity';
import { seedMandatesDemoData } from '../src/seed/demo-data';
import { mandatesSubgraph } from '../src/server';

let subgraph: TestSubgraph;

beforeAll(async () => {
  subgraph = await startTestSubgraph(mandatesSubgraph);
});

afterAll(async () => {
  await subgraph?.close();
});

const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');
const QUEBEC = stableId('organization', 'MUN-23027');

describe('mandates subgraph: dossiers', () => {
  it('has migrations that build exactly the schema its entities describe', async () => {
    expect(await pendingSchemaChanges(subgraph.database.orm)).toBe('');
  });

  it("adds each organization's dossiers, newest first, one list per representation", async () => {
    const { data } = await execute<{ _entities: Array<{ dossiers: Array<{ title: string; createdAt: string }> }> }>(
      subgraph.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Organization { dossiers { title createdAt } } } }',
      { r: [MAGOG, QUEBEC, SHERBROOKE].map((id) => ({ __typename: 'Organization', id })) },
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
      title status requestedAmount organization { __typename id } service { __typename id } } }`);
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
    const { data } = await execute<{ dossier: { requestedAmount: number } }>(subgraph.url, `{ dossier(id: "${dossier.id}") { requestedAmount } }`);
    expect(data!.dossier.requestedAmount).toBe(123456789012.34);
  });

  it('seeds idempotently: a second run adds nothing', async () => {
    const em = subgraph.database.orm.em.fork();
    const before = await em.count(Dossier);
    await em.transactional((tx) => seedMandatesDemoData(tx));
    expect(await em.count(Dossier)).toBe(before);
  });
});
