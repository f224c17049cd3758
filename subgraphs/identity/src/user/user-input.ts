import { badUserInput } from '@pgamr/kit';

export interface UserProfile {
  givenName: string;
  familyName: string;
  email: string;
  phone?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^[0-9 +().-]{7,30}$/;

/**
 * Trims and validates a profile; every problem is reported at once, in French, by the argument
 * path of its field (`input.email`, `input.newUser.email`), the first one also as `field`. The
 * EmailAddress and PhoneNumber scalars already refused malformed values; the lengths are the
 * columns'.
 */
export function validateProfile(input: UserProfile, path = 'input'): UserProfile {
  const profile = {
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    email: input.email.trim().toLowerCase(),
    phone: input.phone?.trim() || null,
  };
  const problems: Record<string, string> = {};
  if (!profile.givenName || profile.givenName.length > 100) problems[`${path}.givenName`] = 'Le prénom est obligatoire (100 caractères au plus).';
  if (!profile.familyName || profile.familyName.length > 100) problems[`${path}.familyName`] = 'Le nom de famille est obligatoire (100 caractères au plus).';
  if (!EMAIL.test(profile.email) || profile.email.length > 254) problems[`${path}.email`] = "L'adresse courriel n'est pas valide (254 caractères au plus).";
  if (profile.phone && !PHONE.test(profile.phone)) problems[`${path}.phone`] = "Le numéro de téléphone n'est pas valide (7 à 30 caractères).";
  const fields = Object.keys(problems);
  if (fields.length > 0) {
    throw badUserInput('Certains renseignements du profil sont invalides.', { field: fields[0], fields: problems });
  }
  return profile;
}

/** What the audit trail keeps of a user: never a password or its hash. */
export const userSnapshot = (user: UserProfile & { status: string; isRse: boolean }) => ({
  givenName: user.givenName,
  familyName: user.familyName,
  email: user.email,
  phone: user.phone ?? null,
  status: user.status,
  isRse: user.isRse,
});
