import { stableId } from '@pgamr/kit';
import { execute } from './support/graphql';
import { bearer, signIn } from './support/session';
import { startStack, type Stack } from './support/stack';

// R20: the gateway enforces the schema's @authenticated, @requiresScopes and @policy before it
// plans an operation; the subgraphs still check every record.

let stack: Stack;
const MAGOG = stableId('organization', 'MUN-45072');
const SHERBROOKE = stableId('organization', 'MUN-43027');

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.close();
});

interface Refusal {
  status: number;
  data?: unknown;
  errors: Array<{ message: string; extensions: { code: string; paths?: string[][] } }>;
}

/** One operation over HTTP, keeping the status: a refused operation is refused as a whole. */
async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Refusal> {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Refusal, 'status'>) };
}

const as = async (code: string) => bearer(await signIn(stack.gatewayUrl, code));

describe('@authenticated at the gateway', () => {
  it('refuses an anonymous operation with UNAUTHENTICATED and every @authenticated path, fragments and aliases included', async () => {
    const refused = await post(
      `query($o: ID!) { ...Mine  magog: organization(id: $o) { name } }
       fragment Mine on Query { me { id } ... on Query { dossiers { totalCount } } }`,
      { o: MAGOG },
    );
    expect(refused.status).toBe(401);
    expect(refused.data ?? null).toBeNull();
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(refused.errors[0]!.extensions.paths).toEqual(expect.arrayContaining([['me'], ['dossiers'], ['magog']]));
    expect(refused.errors[0]!.extensions.paths).toHaveLength(3);
    expect(refused.errors[0]!.message).toMatch(/authentifier/);
  });

  it('refuses the whole operation, public fields too, rather than running part of it', async () => {
    const refused = await post('mutation($input: SignInInput!) { signIn(input: $input) { session { accessToken } } signOut { signedOutAt } }', {
      input: { clicSequrCode: 'MAG0000002', password: 'mauvais-mot-de-passe' },
    });
    expect([refused.status, refused.errors[0]!.extensions]).toEqual([401, { code: 'UNAUTHENTICATED', paths: [['signOut']] }]);
    expect(refused.data ?? null).toBeNull();
  });

  it('lets an anonymous caller sign in: the public operations state no rule', async () => {
    const tokens = await signIn(stack.gatewayUrl, 'MAG0000002');
    expect(tokens.accessToken.split('.')).toHaveLength(3);
  });
});

describe('@requiresScopes at the gateway', () => {
  it('refuses a user without the RSE scope with FORBIDDEN and the path, down to a nested field', async () => {
    const marc = await as('MAG0000002');
    const create = await post('mutation { createUser(input: { givenName: "Zoé", familyName: "Essai", email: "zoe@magog.ca" }) { temporaryPassword } }', {}, marc);
    expect([create.status, create.errors[0]!.extensions]).toEqual([403, { code: 'FORBIDDEN', paths: [['createUser']] }]);
    expect(create.errors[0]!.message).toMatch(/autorisation.*createUser/);

    const nested = await post('query($o: ID!) { organization(id: $o) { name ... on Organization { staff: users { nodes { id } } } } }', { o: MAGOG }, marc);
    expect([nested.status, nested.errors[0]!.extensions]).toEqual([403, { code: 'FORBIDDEN', paths: [['organization', 'staff']] }]);
  });

  it('lets the scope holder through to the subgraph, which still decides on the record', async () => {
    const isabelle = await as('MAG0000001');
    const USERS = 'query($o: ID!) { organization(id: $o) { name users { nodes { id } } } }';
    const own = await execute<{ organization: { users: { nodes: Array<{ id: string }> } } }>(stack.gatewayUrl, USERS, { o: MAGOG }, isabelle);
    expect(own.errors).toBeUndefined();
    expect(own.data!.organization.users.nodes.map((user) => user.id)).toContain(stableId('user', 'MAG0000002'));
    // Same scope, another organization: the gateway lets it pass, identity refuses the record (R2);
    // the refusal nulls the list only, the organization itself stays readable.
    const other = await execute(stack.gatewayUrl, USERS, { o: SHERBROOKE }, isabelle);
    expect(other.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(other.errors?.[0]?.extensions).not.toHaveProperty('paths');
    expect(other.data).toEqual({ organization: { name: 'Ville de Sherbrooke', users: null } });
  });

  it('R13: a direction scope — DGI staff may not name a répondant municipal; the subgraph called directly refuses too', async () => {
    const dgi = await as('MAM0000002');
    const name = 'mutation($input: NameMunicipalRespondentInput!) { nameMunicipalRespondent(input: $input) { accessRight { role } } }';
    const variables = { input: { organizationId: SHERBROOKE, userId: stableId('user', 'SHE0000001') } };
    const atGateway = await post(name, variables, dgi);
    expect([atGateway.status, atGateway.errors[0]!.extensions]).toEqual([403, { code: 'FORBIDDEN', paths: [['nameMunicipalRespondent']] }]);

    // Defense in depth: without the gateway, services applies its own rule to the same token.
    const direct = await execute(stack.subgraphs.services.url, name, variables, dgi);
    expect(direct.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(direct.errors?.[0]?.message).toMatch(/DNIFF/);
    expect(direct.data ?? null).toBeNull();
  });
});

describe('@policy at the gateway', () => {
  it('R1: a temporary password reaches nothing but changing it, with PASSWORD_CHANGE_REQUIRED and the paths', async () => {
    const created = await execute<{ createUser: { user: { clicSequrCode: string }; temporaryPassword: string } }>(
      stack.gatewayUrl,
      'mutation { createUser(input: { givenName: "Noé", familyName: "Essai", email: "noe@magog.ca" }) { user { clicSequrCode } temporaryPassword } }',
      {},
      await as('MAG0000001'),
    );
    const { user, temporaryPassword } = created.data!.createUser;
    const temporary = bearer(await signIn(stack.gatewayUrl, user.clicSequrCode, temporaryPassword));

    const refused = await post('{ me { id } onlineServices { nodes { code } } }', {}, temporary);
    expect([refused.status, refused.errors[0]!.extensions]).toEqual([403, { code: 'PASSWORD_CHANGE_REQUIRED', paths: [['me'], ['onlineServices']] }]);

    const changed = await execute(
      stack.gatewayUrl,
      'mutation($old: String!) { changePassword(input: { currentPassword: $old, newPassword: "Un-mot-de-passe-personnel-2026" }) { session { passwordChangeRequired } } }',
      { old: temporaryPassword },
      temporary,
    );
    expect(changed).toEqual({ data: { changePassword: { session: { passwordChangeRequired: false } } } });
  });
});
