import { execute } from './graphql';

/** Every demo user's password (identity's demo data). */
export const DEMO_PASSWORD = 'Demo-PGAMR-2026!';

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  passwordChangeRequired: boolean;
}

/** Signs in through the given endpoint, as the portal's front end does. */
export async function signIn(url: string, clicSequrCode: string, password = DEMO_PASSWORD): Promise<Tokens> {
  const { data, errors } = await execute<{ signIn: { session: Tokens } }>(
    url,
    'mutation($input: SignInInput!) { signIn(input: $input) { session { accessToken refreshToken passwordChangeRequired } } }',
    { input: { clicSequrCode, password } },
  );
  if (!data?.signIn) throw new Error(`sign-in of ${clicSequrCode} failed: ${JSON.stringify(errors)}`);
  return data.signIn.session;
}

export const bearer = (tokens: Pick<Tokens, 'accessToken'>) => ({ authorization: `Bearer ${tokens.accessToken}` });

/** Signs every person in through `url`: their Authorization headers, by the names given. */
export async function signInAll<Person extends string>(url: string, people: Readonly<Record<Person, string>>): Promise<Record<Person, Record<string, string>>> {
  const names = Object.keys(people) as Person[];
  const headers = await Promise.all(names.map(async (name) => bearer(await signIn(url, people[name]))));
  const byName = {} as Record<Person, Record<string, string>>;
  names.forEach((name, index) => (byName[name] = headers[index]!));
  return byName;
}
