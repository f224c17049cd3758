import { randomInt } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

// Algorithm is a const enum, which isolated modules cannot read: 2 is its Argon2id.
const ARGON2ID = 2 as Algorithm;
// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane. The salt is random per hash.
const ARGON2_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A slow salted hash of a password (R6). */
export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when the code is unknown, so that a sign-in takes as long either way.
let decoyHash: Promise<string> | undefined;
export const decoyPasswordHash = (): Promise<string> => (decoyHash ??= hashPassword('decoy-password-never-valid'));

// No look-alike characters (0/O, 1/l/I): temporary passwords are read off a screen and typed.
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '-_!?*#';

/** A random temporary password that satisfies the policy: shown once, stored only hashed. */
export function generateTemporaryPassword(length = 16): string {
  const pick = (alphabet: string) => alphabet.charAt(randomInt(alphabet.length));
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const characters = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (characters.length < length) characters.push(pick(all));
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    const [at, other] = [characters[i], characters[j]];
    if (at === undefined || other === undefined) throw new RangeError(`no character at ${i} or ${j} of ${characters.length}`);
    [characters[i], characters[j]] = [other, at];
  }
  return characters.join('');
}

export const PASSWORD_POLICY_MESSAGE =
  'Le mot de passe doit compter au moins 12 caractères, dont au moins trois de ces quatre types : ' +
  'minuscules, majuscules, chiffres et symboles. Il ne doit contenir ni votre code d’utilisateur, ni votre nom.';

/** Whether a personal password meets the portal's policy; personal data must not appear in it. */
export function meetsPasswordPolicy(password: string, personal: readonly string[]): boolean {
  if (password.length < 12 || password.length > 128) return false;
  const classes = [/[a-zà-ÿ]/, /[A-ZÀ-Þ]/, /\d/, /[^A-Za-zÀ-ÿ\d]/].filter((pattern) => pattern.test(password)).length;
  if (classes < 3) return false;
  const lowered = password.toLocaleLowerCase('fr-CA');
  return !personal.some((value) => value.length >= 3 && lowered.includes(value.toLocaleLowerCase('fr-CA')));
}
