import { CATALOG_REGISTRATION_PATH, registerCatalog, RIGHTS_PATH, SectorCode, stableId, type CatalogDeclaration, type RightsAnswer } from '@pgamr/kit';
import { createLogger } from '@pgamr/kit/logger';
import { startTestSubgraph, startTestTokenIssuer, type TestSubgraph, type TestTokenIssuer, execute, freePort, waitFor } from '@pgamr/kit/testing';
import { AccessRight } from '../src/access/access.entity';
import { OnlineService } from '../src/online-service/online-service.entity';
import { servicesSubgraph } from '../src/server';

const MAGOG = 'MUN-45072';
const MARC = 'MAG0000002';
const TOKEN = 'catalog-registration-token-for-tests';
const logger = createLogger('registration-test', 'silent');

/** A ministry's declaration, as another subgraph's catalog.json would hold it. */
const ferries = (code = 'TRAVERSIERS'): CatalogDeclaration => ({
  directions: {
    DGTM: {
      ministry: 'Ministère des Transports et de la Mobilité durable',
      name: 'Direction générale du transport maritime',
      support: { phone: '418 643-0000', email: 'traversiers@transports.gouv.qc.ca' },
    },
  },
  services: [{ code, name: 'Aide aux traversiers municipaux', description: 'Demandes des municipalités desservies par traversier.', sector: SectorCode.Infrastructures, direction: 'DGTM' }],
  demoRights: [{ user: MARC, organization: MAGOG, service: code, role: 'USER' }],
});

let services: TestSubgraph;
let issuer: TestTokenIssuer;
let controller: AbortController;

const register = (subgraph: TestSubgraph, declaration: CatalogDeclaration, token?: string) =>
  registerCatalog({
    url: `${subgraph.origin}${CATALOG_REGISTRATION_PATH}`,
    ...(token ? { token } : {}),
    registration: { subgraph: 'ferries', ...declaration },
    logger,
    signal: controller.signal,
    firstDelayMs: 20,
  });

const put = (subgraph: TestSubgraph, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${subgraph.origin}${CATALOG_REGISTRATION_PATH}`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

async function rightsOf(subgraph: TestSubgraph, user: string): Promise<RightsAnswer> {
  const token = await issuer.mint({ userId: stableId('user', user), organizationId: stableId('organization', MAGOG) });
  const response = await fetch(`${subgraph.origin}${RIGHTS_PATH}`, { headers: { authorization: `Bearer ${token}` } });
  return (await response.json()) as RightsAnswer;
}

beforeAll(async () => {
  controller = new AbortController();
  issuer = await startTestTokenIssuer();
  services = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl });
});

afterAll(async () => {
  controller.abort();
  await services?.close();
  await issuer?.close();
});

describe("services subgraph: another ministry's subgraph registers its online services (R7, R23)", () => {
  it("R7, R23: a declared service joins the catalog under its ministry's direction, and the decision point answers its demo right", async () => {
    const outcome = await register(services, ferries());
    expect(outcome).toEqual({ status: 'registered', answer: { created: ['TRAVERSIERS'], existing: [], demoRights: 1 } });

    const token = await issuer.mint({ userId: stableId('user', MARC), organizationId: stableId('organization', MAGOG) });
    const { data } = await execute<{ onlineServices: { nodes: Array<Record<string, unknown>> } }>(
      services.url,
      '{ onlineServices(first: 100) { nodes { id code sector { code } owner { ministry directionCode } supportContact { phone email } } } }',
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(data?.onlineServices.nodes.find((service) => service.code === 'TRAVERSIERS')).toEqual({
      id: stableId('online-service', 'TRAVERSIERS'),
      code: 'TRAVERSIERS',
      sector: { code: 'INFRASTRUCTURES' },
      owner: { ministry: 'Ministère des Transports et de la Mobilité durable', directionCode: 'DGTM' },
      supportContact: { phone: '418 643-0000', email: 'traversiers@transports.gouv.qc.ca' },
    });
    expect((await rightsOf(services, MARC)).rights).toContainEqual({
      serviceId: stableId('online-service', 'TRAVERSIERS'),
      organizationId: stableId('organization', MAGOG),
      role: 'USER',
      validUntil: null,
    });
  });

  it('is idempotent: every start registers again, and nothing is duplicated or overwritten', async () => {
    // A first start registers its own service (not another test's).
    expect(await register(services, ferries('NAVETTES'))).toMatchObject({ status: 'registered', answer: { existing: [] } });
    const em = services.database.orm.em.fork();
    const service = await em.findOneOrFail(OnlineService, { code: 'NAVETTES' });
    service.description = 'Description revue par la direction.';
    await em.flush();
    const rights = await em.count(AccessRight);

    expect(await register(services, ferries('NAVETTES'))).toEqual({ status: 'registered', answer: { created: [], existing: ['NAVETTES'], demoRights: 1 } });
    const after = services.database.orm.em.fork();
    expect((await after.findOneOrFail(OnlineService, { code: 'NAVETTES' })).description).toBe('Description revue par la direction.');
    expect(await after.count(AccessRight)).toBe(rights);
  });

  it("R7: a declaration never takes over a service already in the catalog, another ministry's included", async () => {
    const outcome = await register(services, { ...ferries('TECQ'), demoRights: [] });
    expect(outcome).toMatchObject({ status: 'registered', answer: { created: [], existing: ['TECQ'] } });
    const tecq = await services.database.orm.em.fork().findOneOrFail(OnlineService, { code: 'TECQ' });
    expect(tecq).toMatchObject({ ownerDirectionCode: 'DGI', ownerMinistry: "Ministère des Affaires municipales et de l'Habitation" });
  });

  it('refuses a declaration that gives rights on services it does not declare, a role it may not give, or an unknown sector, and writes nothing', async () => {
    const em = services.database.orm.em.fork();
    const before = { services: await em.count(OnlineService), rights: await em.count(AccessRight) };
    const base = ferries('BATEAUX');
    const onAnotherService: CatalogDeclaration = { ...base, demoRights: [{ user: MARC, organization: MAGOG, service: 'TECQ', role: 'USER' }] };
    const refused = [
      onAnotherService,
      { ...base, demoRights: [{ user: MARC, organization: MAGOG, service: 'BATEAUX', role: 'PERFORM_SIGNATORY' }] },
      { ...base, services: [{ ...base.services[0]!, sector: 'MARITIME' }] },
      { ...base, services: [{ ...base.services[0]!, direction: 'DGI' }] },
    ];
    for (const declaration of refused) {
      const response = await put(services, { subgraph: 'ferries', ...declaration });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { issues: string[] }).issues.length).toBeGreaterThan(0);
    }
    expect(await register(services, onAnotherService)).toMatchObject({ status: 'refused', httpStatus: 400 });
    const after = services.database.orm.em.fork();
    expect({ services: await after.count(OnlineService), rights: await after.count(AccessRight) }).toEqual(before);
  });

  it('R23: in production, registers only behind CATALOG_REGISTRATION_TOKEN, and never keeps demo rights', async () => {
    const closed = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl, production: true, seedDemoData: false });
    const guarded = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl, production: true, seedDemoData: false, catalogToken: TOKEN });
    try {
      expect(await register(closed, ferries())).toMatchObject({ status: 'refused', httpStatus: 404 });
      expect(await register(guarded, ferries())).toMatchObject({ status: 'refused', httpStatus: 401 });
      expect(await register(guarded, ferries(), 'not-the-registration-token')).toMatchObject({ status: 'refused', httpStatus: 401 });
      expect(await register(guarded, ferries(), TOKEN)).toEqual({ status: 'registered', answer: { created: ['TRAVERSIERS'], existing: [], demoRights: 'ignored' } });
      expect(await guarded.database.orm.em.fork().count(AccessRight)).toBe(0);
    } finally {
      await closed.close();
      await guarded.close();
    }
  });

  it('a subgraph that starts before services keeps trying until services answers', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const pending = registerCatalog({
      url: `http://127.0.0.1:${port}${CATALOG_REGISTRATION_PATH}`,
      registration: { subgraph: 'ferries', ...ferries('EARLY') },
      logger: createLogger('registration-test', 'warn', 'json', { write: (line: string) => void lines.push(line) }),
      signal: controller.signal,
      firstDelayMs: 20,
      maxDelayMs: 100,
    });
    // Services is not there yet: a first attempt fails and is retried.
    await waitFor(() => lines.some((line) => line.includes('registration retried')), { description: 'a failed first attempt' });
    const late = await startTestSubgraph(servicesSubgraph, { jwksUrl: issuer.jwksUrl, port });
    try {
      expect(await pending).toEqual({ status: 'registered', answer: { created: ['EARLY'], existing: [], demoRights: 1 } });
    } finally {
      await late.close();
    }
  });
});
