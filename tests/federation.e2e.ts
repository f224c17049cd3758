import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let headers: Record<string, string>;

beforeAll(async () => {
  stack = await startStack();
  headers = bearer(await signIn(stack.gatewayUrl, 'MAG0000001'));
});

afterAll(async () => {
  await stack?.close();
});

const MAGOG = stableId('organization', 'MUN-45072');

describe('federation across the three subgraphs', () => {
  it('answers one query whose plan crosses identity, mandates and services', async () => {
    const query = /* GraphQL */ `
      query Dashboard($id: ID!) {
        organization(id: $id) {
          name
          geographicCode
          dossiers {
            nodes {
              title
              status
              requestedAmount
              organization { name }
              service { code sector { name } owner { directionCode } supportContact { phone email } }
            }
          }
        }
      }
    `;
    const { data, errors } = await execute<{
      organization: {
        name: string;
        geographicCode: string;
        dossiers: {
          nodes: Array<{
            title: string;
            status: string;
            requestedAmount: string;
            organization: { name: string };
            service: { code: string; sector: { name: string }; owner: { directionCode: string }; supportContact: { phone: string; email: string } };
          }>;
        };
      };
    }>(stack.gatewayUrl, query, { id: MAGOG }, headers);

    expect(errors).toBeUndefined();
    expect(data?.organization.name).toBe('Ville de Magog');
    expect(data?.organization.geographicCode).toBe('45072');
    const byTitle = new Map(data?.organization.dossiers.nodes.map((d) => [d.title, d]));
    expect([...byTitle.keys()].sort()).toEqual([
      "Mise aux normes de l'usine de production d'eau potable",
      "Remplacement de l'aqueduc de la rue des Pins",
      'Réfection de la rue Principale Ouest',
      "Rénovation de l'hôtel de ville",
    ]);
    const tecq = byTitle.get('Réfection de la rue Principale Ouest');
    expect(tecq).toMatchObject({
      status: 'DRAFT',
      requestedAmount: '1250000.00',
      organization: { name: 'Ville de Magog' },
      // R22: trouble inside a DGI service goes to the DGI.
      service: {
        code: 'TECQ',
        sector: { name: 'Infrastructures' },
        owner: { directionCode: 'DGI' },
        supportContact: { phone: '418 691-2005', email: 'infrastructures@mamh.gouv.qc.ca' },
      },
    });
  });

  it('returns null for an organization that does not exist, and for an id that is not one', async () => {
    const { data, errors } = await execute<{ a: unknown; b: unknown }>(
      stack.gatewayUrl,
      `{ a: organization(id: "${stableId('organization', 'nowhere')}") { name } b: organization(id: "pas-un-id") { name } }`,
      {},
      headers,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({ a: null, b: null });
  });

  it('reports /ready only when every subgraph answers', async () => {
    const ready = await fetch(stack.gatewayUrl.replace('/graphql', '/ready'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      subgraphs: { identity: true, services: true, mandates: true, 'road-aid': true, notifications: true },
    });
  });
});
