import { badUserInput } from '@pgamr/kit';

export interface UserProfile {
  givenName: string;
  familyName: string;
  email: string;
  phone?: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^[0-9 +().-]{7,30}$/;

/** Trims and validates a profile; every problem is reported at once, in French, by field. */
export function validateProfile(input: UserProfile): UserProfile {
  const profile = {
    givenName: input.givenName.trim(),
    familyName: input.familyName.trim(),
    email: input.email.trim().toLowerCase(),
    phone: input.phone?.trim() || null,
  };
  const problems: Record<string, string> = {};
  if (!profile.givenName || profile.givenName.length > 100) problems.givenName = 'Le prénom est obligatoire (100 caractères au plus).';
  if (!profile.familyName || profile.familyName.length > 100) problems.familyName = 'Le nom de famille est obligatoire (100 caractères au plus).';
  if (!EMAIL.test(profile.email) || profile.email.length > 254) problems.email = "L'adresse courriel n'est pas valide.";
  if (profile.phone && !PHONE.test(profile.phone)) problems.phone = "Le numéro de téléphone n'est pas valide.";
  if (Object.keys(problems).length > 0) {
    throw badUserInput('Certains renseignements du profil sont invalides.', { fields: problems });
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
