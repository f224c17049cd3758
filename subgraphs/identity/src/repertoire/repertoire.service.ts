import { badUserInput, conflict, isUuid, notFound, recordAudit, type RightSet } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../actor';
import { AuditAction } from '../audit/audit-actions';
import { Organization, OrganizationKind } from '../organization/organization.entity';
import { ensureMayCorrectRepertoire, ensureMayNameRse, ensureRequesterInAuthority, isMunicipalBody } from '../policy';
import type { IdentitySettings } from '../settings';
import { userSnapshot, type UserProfile } from '../user/user-input';
import { User, UserStatus } from '../user/user.entity';
import { createUserIn } from '../user/user.service';
import { PersonInAuthority, type AuthorityRole } from './person-in-authority.entity';

export interface PersonInAuthorityInput {
  role: AuthorityRole;
  givenName: string;
  familyName: string;
}

export interface NameRseInput {
  organizationId: string;
  requesterGivenName: string;
  requesterFamilyName: string;
  requesterRole: AuthorityRole;
  existingUserId?: string | null;
  newUser?: UserProfile | null;
}

/** R5: a region of Québec as the Répertoire writes it, its two-digit number then its name (the column holds 60 characters). */
const ADMINISTRATIVE_REGION = /^\d{2} \S.{0,56}$/;

const snapshot = (persons: PersonInAuthorityInput[]) => ({
  personsInAuthority: persons.map(({ role, givenName, familyName }) => ({ role, givenName, familyName })),
});

async function organizationOrNotFound(em: EntityManager, id: string): Promise<Organization> {
  const organization = isUuid(id) ? await em.findOne(Organization, id) : null;
  if (!organization) throw notFound("Cette organisation n'existe pas.");
  return organization;
}

/**
 * R4: a clicSÉQUR customer-service agent names a new RSÉ for an organization left without one,
 * at the request of a person in authority; for a municipal body, only when the requester's
 * name and role are listed for it in the Répertoire des municipalités.
 */
export function nameRse(
  em: EntityManager,
  actor: Actor,
  input: NameRseInput,
  settings: IdentitySettings,
  now: Date,
): Promise<{ user: User; temporaryPassword: string | null }> {
  ensureMayNameRse(actor);
  if (!!input.existingUserId === !!input.newUser) {
    throw badUserInput('Indiquez soit un utilisateur existant (existingUserId), soit un nouvel utilisateur (newUser).', { field: 'input.newUser' });
  }
  return em.transactional(async (tx) => {
    const organization = await organizationOrNotFound(tx, input.organizationId);
    const activeRse = await tx.count(User, { organization, isRse: true, status: UserStatus.Active });
    if (activeRse > 0) throw conflict("Cette organisation a déjà un RSÉ actif ; c'est lui qui gère ses utilisateurs.");

    if (isMunicipalBody(organization)) {
      const listed = await tx.find(PersonInAuthority, { organization });
      ensureRequesterInAuthority(organization, listed, { role: input.requesterRole, givenName: input.requesterGivenName, familyName: input.requesterFamilyName });
    }

    let user: User;
    let temporaryPassword: string | null = null;
    let before: Record<string, unknown> | null = null;
    if (input.existingUserId) {
      const existing = isUuid(input.existingUserId) ? await tx.findOne(User, input.existingUserId) : null;
      if (!existing || existing.organization.id !== organization.id) throw notFound("Cet utilisateur n'existe pas dans l'organisation.");
      if (existing.status !== UserStatus.Active) throw conflict('Un utilisateur suspendu ne peut pas être nommé RSÉ.');
      before = userSnapshot(existing);
      existing.isRse = true;
      user = existing;
    } else {
      const created = await createUserIn(tx, organization, { ...input.newUser!, isRse: true }, settings, now, 'input.newUser');
      user = created.user;
      temporaryPassword = created.temporaryPassword;
      await tx.flush();
    }
    recordAudit(tx, actor.viewer, {
      action: AuditAction.RseNamed,
      organizationId: organization.id,
      targetType: 'User',
      targetId: user.id,
      before,
      after: {
        ...userSnapshot(user),
        requester: { givenName: input.requesterGivenName, familyName: input.requesterFamilyName, role: input.requesterRole },
      },
    });
    return { user, temporaryPassword };
  });
}

/** R5: what a correction of the Répertoire changes besides the persons in authority; absent (or null) leaves it as it is. */
export interface RepertoireGeographyInput {
  administrativeRegion?: string | null;
  /** The organization id of the body's MRC (an organization of kind MRC; an MRC's is its own). */
  mrcId?: string | null;
}

/**
 * R5: the regional direction of a municipal body, or its users holding the « Mise à jour des
 * données de la clientèle » service (rights from the services decision point), replace its
 * persons in authority in the Répertoire, and correct its region or MRC when given.
 */
export async function correctRepertoire(
  em: EntityManager,
  actor: Actor,
  rights: () => Promise<RightSet>,
  organizationId: string,
  persons: PersonInAuthorityInput[],
  geography: RepertoireGeographyInput = {},
): Promise<Organization> {
  const region = geography.administrativeRegion?.trim();
  if (region !== undefined && !ADMINISTRATIVE_REGION.test(region)) {
    throw badUserInput('La région administrative s’écrit avec son numéro et son nom (« 05 Estrie »), 60 caractères au plus.', { field: 'input.administrativeRegion' });
  }
  const cleaned = persons.map((person) => ({
    role: person.role,
    givenName: person.givenName.trim(),
    familyName: person.familyName.trim(),
  }));
  if (cleaned.length === 0 || cleaned.some((p) => !p.givenName || !p.familyName || p.givenName.length > 100 || p.familyName.length > 100)) {
    throw badUserInput('Chaque personne en autorité doit avoir un prénom et un nom (100 caractères au plus), et la liste ne peut être vide.', {
      field: 'input.personsInAuthority',
    });
  }
  // Decided before the transaction: asking the decision point must not hold a database connection.
  const target = await organizationOrNotFound(em, organizationId);
  if (!isMunicipalBody(target)) throw badUserInput('Seuls les organismes municipaux figurent au Répertoire des municipalités.', { field: 'input.organizationId' });
  await ensureMayCorrectRepertoire(actor, target, rights);
  const mrcId = geography.mrcId ?? undefined;
  if (mrcId !== undefined) await ensureMrcOf(em, target, mrcId);
  return em.transactional(async (tx) => {
    const organization = await organizationOrNotFound(tx, organizationId);
    const existing = await tx.find(PersonInAuthority, { organization }, { orderBy: { role: 'asc', id: 'asc' } });
    // The region and the MRC are in the trail when they are corrected (R21), as the persons always are.
    const geographyOf = () => ({
      ...(region === undefined ? {} : { administrativeRegion: organization.administrativeRegion ?? null }),
      ...(mrcId === undefined ? {} : { mrcId: organization.mrc?.id ?? null }),
    });
    const before = { ...snapshot(existing), ...geographyOf() };
    existing.forEach((person) => tx.remove(person));
    cleaned.forEach((person) => tx.create(PersonInAuthority, { ...person, organization }));
    if (region !== undefined) organization.administrativeRegion = region;
    if (mrcId !== undefined) organization.mrc = tx.getReference(Organization, mrcId, { wrapped: true });
    recordAudit(tx, actor.viewer, {
      action: AuditAction.RepertoireCorrected,
      organizationId: organization.id,
      targetType: 'Organization',
      targetId: organization.id,
      before,
      after: { ...snapshot(cleaned), ...geographyOf() },
    });
    return organization;
  });
}

/**
 * R5: a body's MRC is an organization of kind MRC, and an MRC's is itself; anything else is
 * BAD_USER_INPUT on `input.mrcId` (an unknown id too: organizations are public, nothing leaks).
 */
async function ensureMrcOf(em: EntityManager, body: Organization, mrcId: string): Promise<void> {
  const mrc = isUuid(mrcId) ? await em.findOne(Organization, mrcId) : null;
  if (!mrc || mrc.kind !== OrganizationKind.Mrc) {
    throw badUserInput('La MRC doit être une organisation de nature MRC du Répertoire des municipalités.', { field: 'input.mrcId' });
  }
  if (body.kind === OrganizationKind.Mrc && mrc.id !== body.id) {
    throw badUserInput('La MRC d’une MRC est elle-même.', { field: 'input.mrcId' });
  }
}
