import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
type Headers = Record<string, string>;
const MAGOG = stableId('organization', 'MUN-45072');
const TECQ = stableId('online-service', 'TECQ');
const MANDATED = stableId('dossier', 'MAG-TECQ-2025');
const OTHERS_OF_MAGOG = ['MAG-TECQ-2024', 'MAG-PRIMEAU-2023', 'MAG-PRABAM-2023'].map((key) => stableId('dossier', key));

const gateway = (query: string, variables: Record<string, unknown>, headers: Headers) => execute<any>(stack.gatewayUrl, query, variables, headers);
const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));
const codeOf = (response: { errors?: Array<{ extensions?: Record<string, unknown> }> }) => response.errors?.[0]?.extensions?.code;
const quebecToday = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Toronto' }).format(new Date());
const inDays = (days: number) => new Date(Date.parse(`${quebecToday()}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

let isabelle: Headers;
let amelie: Headers;
let julien: Headers;

beforeAll(async () => {
  stack = await startStack();
  [isabelle, amelie, julien] = await Promise.all([as('MAG0000001'), as('GCE0000002'), as('GCE0000001')]);
});

afterAll(async () => {
  await stack?.close();
});

describe("R15, R16 through the gateway: a firm's employee mandated on one Magog dossier at préparation", () => {
  // The mandate every test of this block is about, given once here: no test counts on another having run.
  let granted: any;
  let mandateId: string;
  beforeAll(async () => {
    granted = await gateway(
      `mutation($input: GrantMandateInput!) { grantMandate(input: $input) { mandate {
        id level status startsOn mandataireName mandataire { givenName } firm { name } organization { name } service { code } dossiers { nodes { title } totalCount } } } }`,
      { input: { organizationId: MAGOG, serviceId: TECQ, dossierIds: [MANDATED], mandataireCode: 'GCE0000002', level: 'PREPARATION', startsOn: quebecToday(), endsOn: inDays(60) } },
      isabelle,
    );
    mandateId = granted.data?.grantMandate?.mandate?.id;
  });

  it("Magog's local manager for TECQ mandates Amélie of Génie-Conseil Estrie by her clicSÉQUR code", async () => {
    expect(granted.errors).toBeUndefined();
    expect(granted.data.grantMandate.mandate).toMatchObject({
      level: 'PREPARATION',
      status: 'ACTIVE',
      startsOn: quebecToday(),
      mandataireName: 'Amélie Bouchard',
      // R20: identity does not show another organization's user; the mandate carries her name.
      mandataire: null,
      firm: { name: 'Génie-Conseil Estrie inc.' },
      organization: { name: 'Ville de Magog' },
      service: { code: 'TECQ' },
      dossiers: { nodes: [{ title: "Remplacement de l'aqueduc de la rue des Pins" }], totalCount: 1 },
    });
  });

  it('the mandataire sees that dossier across the three subgraphs and edits its form', async () => {
    const seen = await gateway(
      `query($id: ID!) { dossier(id: $id) { title organization { name } service { code supportContact { email } } viewerPermissions { canEdit canSubmit } } }`,
      { id: MANDATED },
      amelie,
    );
    expect(seen.data.dossier).toEqual({
      title: "Remplacement de l'aqueduc de la rue des Pins",
      organization: { name: 'Ville de Magog' },
      service: { code: 'TECQ', supportContact: { email: 'infrastructures@mamh.gouv.qc.ca' } },
      viewerPermissions: { canEdit: true, canSubmit: false },
    });
    const edited = await gateway(
      'mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { missingFormFields form { ... on TecqForm { plannedWorkStartsOn } } } } }',
      { input: { dossierId: MANDATED, form: { tecq: { population: 28_500, priority: 'DRINKING_WATER', plannedWorkStartsOn: '2027-05-03' } } } },
      amelie,
    );
    expect(edited.data.updateDossier.dossier).toEqual({ missingFormFields: [], form: { plannedWorkStartsOn: '2027-05-03' } });
  });

  it('the mandataire cannot submit it: transmission is above préparation', async () => {
    const submitted = await gateway('mutation($id: ID!) { submitDossier(input: { dossierId: $id }) { dossier { status } } }', { id: MANDATED }, amelie);
    expect(codeOf(submitted)).toBe('FORBIDDEN');
    const unchanged = await gateway('query($id: ID!) { dossier(id: $id) { status } }', { id: MANDATED }, amelie);
    expect(unchanged.data.dossier.status).toBe('DRAFT');
  });

  it("R15, R20: Magog's dossier page shows each dossier's mandates in force with the mandataire's name; Amélie is shown her own only", async () => {
    const MANDATES = 'activeMandates { nodes { id level status mandataireName firm { name } } }';
    const page = await gateway(
      // A page of the default size: the gateway's cost estimate assumes 20 mandates per dossier.
      `query($o: ID!, $s: ID!) { organization(id: $o) { dossiers(first: 20, filter: { serviceId: $s }) { nodes { id ${MANDATES} } } } }`,
      { o: MAGOG, s: TECQ },
      isabelle,
    );
    expect(page.errors).toBeUndefined();
    const byDossier = new Map(page.data.organization.dossiers.nodes.map((node: { id: string; activeMandates: { nodes: unknown[] } }) => [node.id, node.activeMandates.nodes]));
    expect(byDossier.get(MANDATED)).toEqual([
      { id: mandateId, level: 'PREPARATION', status: 'ACTIVE', mandataireName: 'Amélie Bouchard', firm: { name: 'Génie-Conseil Estrie inc.' } },
    ]);
    // The demo data's mandate of her colleague Julien on the other TECQ dossier.
    expect(byDossier.get(OTHERS_OF_MAGOG[0])).toEqual([
      { id: stableId('mandate', 'MAG-TECQ-GCE1'), level: 'PREPARATION', status: 'ACTIVE', mandataireName: 'Julien Côté', firm: { name: 'Génie-Conseil Estrie inc.' } },
    ]);
    const hers = await gateway(`query($id: ID!) { dossier(id: $id) { ${MANDATES} } }`, { id: MANDATED }, amelie);
    expect(hers.data.dossier.activeMandates.nodes.map((mandate: { id: string }) => mandate.id)).toEqual([mandateId]);
  });

  describe("never another Magog dossier, whatever the path", () => {
    it('dossier(id)', async () => {
      for (const id of OTHERS_OF_MAGOG) {
        const response = await gateway('query($id: ID!) { dossier(id: $id) { title } }', { id }, amelie);
        expect(response).toEqual({ data: { dossier: null }, errors: undefined });
      }
    });

    it('the dossiers list', async () => {
      const list = await gateway('{ dossiers(first: 100) { nodes { id organization { id } } totalCount } }', {}, amelie);
      const ofMagog = list.data.dossiers.nodes.filter((node: { organization: { id: string } }) => node.organization.id === MAGOG);
      expect(ofMagog).toEqual([{ id: MANDATED, organization: { id: MAGOG } }]);
    });

    it('the list filtered by organization and program', async () => {
      const list = await gateway('query($o: ID!, $s: ID!) { dossiers(filter: { organizationId: $o, serviceId: $s }) { nodes { id } totalCount } }', { o: MAGOG, s: TECQ }, amelie);
      expect(list.data.dossiers).toEqual({ nodes: [{ id: MANDATED }], totalCount: 1 });
    });

    it('search', async () => {
      const found = await gateway('{ dossiers(filter: { search: "rue Principale" }) { nodes { id } totalCount } }', {}, amelie);
      expect(found.data.dossiers).toEqual({ nodes: [], totalCount: 0 });
    });

    it("Organization.dossiers, nested under the mandated dossier: the organization's list is refused", async () => {
      const response = await gateway('query($id: ID!) { dossier(id: $id) { organization { name dossiers { nodes { id } } } } }', { id: MANDATED }, amelie);
      expect(codeOf(response)).toBe('FORBIDDEN');
      expect(response.data.dossier.organization).toEqual({ name: 'Ville de Magog', dossiers: null });
      expect(JSON.stringify(response.data)).not.toMatch(new RegExp(OTHERS_OF_MAGOG.join('|')));
    });

    it("OnlineService.dossiers: the program's list holds only the mandated dossier", async () => {
      const response = await gateway('query($s: ID!) { onlineService(id: $s) { code dossiers(first: 100) { nodes { id } } } }', { s: TECQ }, amelie);
      expect(response.data.onlineService).toEqual({ code: 'TECQ', dossiers: { nodes: [{ id: MANDATED }] } });
    });

    it('_entities representations sent straight to the mandates subgraph', async () => {
      const response = await execute<any>(
        stack.subgraphs.mandates.url,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Dossier { id title } } }',
        { r: [...OTHERS_OF_MAGOG, MANDATED].map((id) => ({ __typename: 'Dossier', id })) },
        amelie,
      );
      expect(response.data._entities).toEqual([null, null, null, { id: MANDATED, title: "Remplacement de l'aqueduc de la rue des Pins" }]);
    });

    it("nested fields: neither the organization's users, nor its rights, nor its mandates", async () => {
      const users = await gateway('query($id: ID!) { dossier(id: $id) { organization { users { nodes { id } } } } }', { id: MANDATED }, amelie);
      expect(codeOf(users)).toBe('FORBIDDEN');
      const rights = await gateway('query($s: ID!, $o: ID!) { accessRights(serviceId: $s, organizationId: $o) { nodes { id } } }', { s: TECQ, o: MAGOG }, amelie);
      expect(codeOf(rights)).toBe('FORBIDDEN');
      const mandates = await gateway('query($id: ID!) { dossier(id: $id) { organization { mandatesGiven { nodes { id } } } } }', { id: MANDATED }, amelie);
      expect(codeOf(mandates)).toBe('FORBIDDEN');
    });
  });

  it("Magog's local manager reads in the disclosure log what Amélie was shown, under which mandate", async () => {
    expect((await gateway('query($id: ID!) { dossier(id: $id) { title } }', { id: MANDATED }, amelie)).data.dossier).not.toBeNull();
    const response = await gateway(
      `query($id: ID!) { dossier(id: $id) { organization { disclosureLog(first: 100) { nodes { recordId recordType readerOrganization { name } mandate { id mandataireName } } } } } }`,
      { id: MANDATED },
      isabelle,
    );
    const entries = response.data.dossier.organization.disclosureLog.nodes;
    expect(entries.length).toBeGreaterThan(0);
    expect(entries[0]).toEqual({
      recordId: MANDATED,
      recordType: 'DOSSIER',
      readerOrganization: { name: 'Génie-Conseil Estrie inc.' },
      mandate: { id: mandateId, mandataireName: 'Amélie Bouchard' },
    });
  });

  it("R16: the firm's manager cannot pass the mandate on above its level or beyond its dates", async () => {
    const DELEGATE = 'mutation($input: DelegateMandateInput!) { delegateMandate(input: $input) { mandate { id } } }';
    const above = await gateway(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000001', level: 'TRANSMISSION' } }, julien);
    expect([codeOf(above), above.errors?.[0]?.extensions?.reason]).toEqual(['FORBIDDEN', 'LEVEL_ABOVE_MANDATE']);
    const beyond = await gateway(DELEGATE, { input: { mandateId, mandataireCode: 'GCE0000001', level: 'CONSULTATION', endsOn: inDays(61) } }, julien);
    expect([codeOf(beyond), beyond.errors?.[0]?.extensions?.reason]).toEqual(['FORBIDDEN', 'DATES_BEYOND_MANDATE']);
    expect(above.errors![0]!.message).toMatch(/niveau supérieur/);
    const firmView = await gateway('query($id: ID!) { mandate(id: $id) { id } }', { id: mandateId }, julien);
    expect(firmView.data.mandate).toEqual({ id: mandateId });
  });

  it('R15: after revocation the mandataire sees nothing of Magog, and the mandate leaves the dossier\'s mandates in force, on the very next request', async () => {
    const revoked = await gateway('mutation($id: ID!) { revokeMandate(input: { mandateId: $id }) { mandate { status revokedAt } } }', { id: mandateId }, isabelle);
    expect(revoked.data.revokeMandate.mandate).toEqual({ status: 'REVOKED', revokedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/) });
    expect((await gateway('query($id: ID!) { dossier(id: $id) { title } }', { id: MANDATED }, amelie)).data.dossier).toBeNull();
    const list = await gateway('query($o: ID!) { dossiers(filter: { organizationId: $o }) { totalCount } }', { o: MAGOG }, amelie);
    expect(list.data.dossiers.totalCount).toBe(0);
    const edit = await gateway('mutation($input: UpdateDossierInput!) { updateDossier(input: $input) { dossier { id } } }', { input: { dossierId: MANDATED, title: 'Après révocation' } }, amelie);
    expect(codeOf(edit)).toBe('NOT_FOUND');
    const inForce = await gateway('query($id: ID!) { dossier(id: $id) { activeMandates { nodes { id } totalCount } } }', { id: MANDATED }, isabelle);
    expect(inForce.data.dossier.activeMandates).toEqual({ nodes: [], totalCount: 0 });
  });
});
