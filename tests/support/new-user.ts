import { execute } from './graphql';
import { bearer, signIn } from './session';

type Headers = Record<string, string>;

/** The personal password every user created by a test sets in place of its temporary one. */
export const PERSONAL_PASSWORD = 'Lac-des-Nations-2026';

const CREATE_USER =
  'mutation($g: String!) { createUser(input: { givenName: $g, familyName: "Essai", email: "essai@exemple.qc.ca" }) { user { id clicSequrCode } temporaryPassword } }';
const CHANGE_PASSWORD = 'mutation($o: String!, $n: String!) { changePassword(input: { currentPassword: $o, newPassword: $n }) { session { accessToken } } }';

/**
 * R2, R3: a new user of the RSÉ's organization, created by that RSÉ through the gateway, who has
 * replaced the temporary password, signed in with the personal one.
 */
export async function newUserOf(gatewayUrl: string, rse: Headers, givenName: string): Promise<{ id: string; code: string; headers: Headers }> {
  const created = await execute<{ createUser: { user: { id: string; clicSequrCode: string }; temporaryPassword: string } }>(gatewayUrl, CREATE_USER, { g: givenName }, rse);
  if (!created.data) throw new Error(`createUser refused: ${JSON.stringify(created.errors)}`);
  const { user, temporaryPassword } = created.data.createUser;
  const changed = await execute(gatewayUrl, CHANGE_PASSWORD, { o: temporaryPassword, n: PERSONAL_PASSWORD }, bearer(await signIn(gatewayUrl, user.clicSequrCode, temporaryPassword)));
  if (changed.errors) throw new Error(`changePassword refused: ${JSON.stringify(changed.errors)}`);
  return { id: user.id, code: user.clicSequrCode, headers: bearer(await signIn(gatewayUrl, user.clicSequrCode, PERSONAL_PASSWORD)) };
}
