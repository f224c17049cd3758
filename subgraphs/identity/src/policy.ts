import { DirectionCode, forbidden, hasRole, IdentityRole, isRegionalDirection, regionalDirection, regionalDirectionOfRegion, ServiceCode, ServiceRole, stableId, type RightSet, type Viewer } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { GraphQLError } from 'graphql';
import type { Actor } from './actor';
import { ClicSequrRegistrationStatus, FIRM_KINDS, MUNICIPAL_KINDS, OrganizationKind, type Organization } from './organization/organization.entity';
import type { PersonInAuthority } from './repertoire/person-in-authority.entity';
import { UserStatus, type User } from './user/user.entity';

// Every access decision of the identity subgraph, named after its rule; resolvers and services
// only call them, and nothing else here refuses. docs/rules.md lists them by rule.

/** The direction that runs the portal and answers for access to it. */
const PORTAL_DIRECTION = DirectionCode.Dgomr;

/**
 * R1, R2, R3: whose right password still does not open a session: a suspended user, or a user of
 * an organization not (or no longer) registered with clicSÉQUR – Entreprises. The refusal, or null.
 */
export function signInRefusal(user: User, organization: Organization): GraphQLError | null {
  if (user.status !== UserStatus.Active) return forbidden('Votre code d’utilisateur est suspendu. Communiquez avec le RSÉ de votre organisation.');
  if (organization.clicSequrStatus !== ClicSequrRegistrationStatus.Registered) return forbidden("Votre organisation n'est pas inscrite à clicSÉQUR – Entreprises.");
  return null;
}

/** R4: an agent of clicSÉQUR – Entreprises' customer service. */
export const isCseAgent = (actor: Actor): boolean => actor.organization.kind === OrganizationKind.ClicSequrCustomerService;

/** R20: staff of a ministry direction (of `direction`, when given). */
export const isMinistryStaff = (actor: Actor, direction?: string): boolean =>
  actor.organization.kind === OrganizationKind.Ministry && !!actor.user.direction && (!direction || actor.user.direction === direction);

/** R2, R3: an active RSÉ of a registered organization administers that organization's users. */
export const isRseOf = (actor: Actor, organizationId: string): boolean =>
  actor.user.isRse && actor.organization.id === organizationId && actor.organization.clicSequrStatus === ClicSequrRegistrationStatus.Registered;

/** R5: regional directions are named after the administrative region's number: DR-05 for Estrie. */
export const regionalDirectionOf = (organization: Organization): string | undefined => regionalDirectionOfRegion(organization.administrativeRegion);

/** R5, R20: staff of the organization's regional direction. */
export const isRegionalDirectionOf = (actor: Actor, organization: Organization): boolean => {
  const direction = regionalDirectionOf(organization);
  return !!direction && isMinistryStaff(actor, direction);
};

/** R4, R5: the organizations the Répertoire des municipalités lists. */
export const isMunicipalBody = (organization: Organization): boolean => MUNICIPAL_KINDS.includes(organization.kind);

/** R5: the « Mise à jour des données de la clientèle » service: reference data of the catalog, same id everywhere. */
export const CUSTOMER_DATA_SERVICE_ID = stableId('online-service', ServiceCode.CustomerDataUpdate);

/**
 * R5: the Répertoire entry of a municipal body is corrected by its regional direction, or by
 * the body's own users holding the « Mise à jour des données de la clientèle » service now.
 */
export const mayCorrectRepertoire = async (actor: Actor, organization: Organization, rights: () => Promise<RightSet>): Promise<boolean> =>
  isRegionalDirectionOf(actor, organization) ||
  // The decision point is asked only when the answer depends on it.
  (actor.organization.id === organization.id && (await rights()).has(CUSTOMER_DATA_SERVICE_ID, organization.id, [ServiceRole.User]));

/** R5: refused unless mayCorrectRepertoire. */
export async function ensureMayCorrectRepertoire(actor: Actor, organization: Organization, rights: () => Promise<RightSet>): Promise<void> {
  if (!(await mayCorrectRepertoire(actor, organization, rights))) {
    throw forbidden(
      "Seuls la direction régionale de l'organisme et ses utilisateurs autorisés au service « Mise à jour des données de la clientèle » corrigent le Répertoire des municipalités.",
    );
  }
}

/**
 * R20: whose organization a caller may learn from the members directory: the users of their own
 * organization; firms' users, whom outsiders name anyway (R15, as the firm directory does by
 * code); and anyone for ministry staff, whose directions administer access in every organization
 * (R7, R11, R13).
 */
export const mayLearnMembership = (viewer: Viewer, organizationId: string, kind: OrganizationKind): boolean =>
  viewer.organizationId === organizationId || FIRM_KINDS.includes(kind) || hasRole(viewer, IdentityRole.MinistryStaff);

/** R20: a user's name is seen by their own organization and by ministry and clicSÉQUR staff, never by another organization. */
export const maySeeUser = (actor: Actor, user: User): boolean =>
  actor.user.id === user.id || actor.organization.id === user.organization.id || isCseAgent(actor) || isMinistryStaff(actor);

/** R2, R20: contact details and status: the user, their RSÉ, clicSÉQUR's customer service, DGOMR and their regional direction. */
export const maySeeUserDetails = (actor: Actor, user: User, userOrganization: Organization): boolean =>
  actor.user.id === user.id ||
  isRseOf(actor, user.organization.id) ||
  isCseAgent(actor) ||
  isMinistryStaff(actor, PORTAL_DIRECTION) ||
  isRegionalDirectionOf(actor, userOrganization);

/** R2, R20: refused unless maySeeUserDetails (the field alone is refused, never the user). */
export function ensureMaySeeUserDetails(actor: Actor, user: User, userOrganization: Organization | null): void {
  if (!userOrganization || !maySeeUserDetails(actor, user, userOrganization)) {
    throw forbidden("Ce renseignement n'est visible que par l'utilisateur, les RSÉ de son organisation et le personnel autorisé.");
  }
}

/** R2, R20: an organization's users are listed by its RSÉ, clicSÉQUR's customer service, DGOMR and its regional direction. */
export const mayListUsers = (actor: Actor, organization: Organization): boolean =>
  isRseOf(actor, organization.id) || isCseAgent(actor) || isMinistryStaff(actor, PORTAL_DIRECTION) || isRegionalDirectionOf(actor, organization);

/**
 * R5, R20: the Répertoire's regions of a regional direction's staff, as a pattern of
 * `administrativeRegion` (regionalDirectionOf's reading: the region's two leading digits, then
 * no letter nor digit); null for anyone else.
 */
export function regionalDirectionRegionPattern(actor: Actor): string | null {
  const direction = actor.user.direction ?? '';
  if (!isRegionalDirection(direction) || !isMinistryStaff(actor, direction)) return null;
  const region = direction.slice(regionalDirection('').length);
  return `^${region}([^0-9A-Za-z_]|$)`;
}

/**
 * R2, R20 (issue 18): the users a reader's figures (`userStatistics`) count, never one they could
 * not list: mayListUsers as a query condition. clicSÉQUR's customer service and the DGOMR: every
 * organization's users; an RSÉ of a registered organization: their organization's; a regional
 * direction's staff: those of the organizations of its region (isRegionalDirectionOf). Null when
 * the reader may list no organization's users: FORBIDDEN.
 */
export function userStatisticsCondition(actor: Actor): FilterQuery<User> | null {
  if (isCseAgent(actor) || isMinistryStaff(actor, PORTAL_DIRECTION)) return {};
  const region = regionalDirectionRegionPattern(actor);
  const branches: Array<FilterQuery<User>> = [
    ...(isRseOf(actor, actor.organization.id) ? [{ organization: actor.organization.id }] : []),
    ...(region ? [{ organization: { administrativeRegion: { $re: region } } }] : []),
  ];
  if (branches.length === 0) return null;
  return branches.length === 1 ? branches[0]! : { $or: branches };
}

/** R2, R20 (issue 18): refuses user figures to whoever userStatisticsCondition gives none. */
export function ensureMayReadUserStatistics(actor: Actor): FilterQuery<User> {
  const condition = userStatisticsCondition(actor);
  if (!condition) {
    throw forbidden(
      "Les chiffres des utilisateurs sont réservés aux RSÉ, sur leur organisation, au service à la clientèle de clicSÉQUR, à la DGOMR et aux directions régionales, sur les organisations de leur région.",
    );
  }
  return condition;
}

/** R2, R20: refused unless mayListUsers. */
export function ensureMayListUsers(actor: Actor, organization: Organization): void {
  if (!mayListUsers(actor, organization)) {
    throw forbidden("Seuls les RSÉ de l'organisation et le personnel autorisé voient la liste de ses utilisateurs.");
  }
}

/** R21: an organization's trail is read by its RSÉ (its managers of users) and by the ministry staff answerable for it. */
export const mayReadAuditTrail = (actor: Actor, organization: Organization): boolean =>
  isRseOf(actor, organization.id) || isMinistryStaff(actor, PORTAL_DIRECTION) || isRegionalDirectionOf(actor, organization);

/**
 * R20, R21: refused unless mayReadAuditTrail; an unknown organization gets the same answer as one
 * the caller may not read, so that nothing leaks.
 */
export function ensureMayReadAuditTrail(actor: Actor, organization: Organization | null): asserts organization is Organization {
  if (!organization || !mayReadAuditTrail(actor, organization)) {
    throw forbidden("Vous n'avez pas accès au journal d'audit de cette organisation.");
  }
}

/** R2, R3: only an RSÉ of a registered organization creates users, in their own organization. */
export function ensureMayCreateUsers(actor: Actor): void {
  if (!isRseOf(actor, actor.organization.id)) throw forbidden('Seul un RSÉ peut créer des utilisateurs dans son organisation.');
}

/** R3: only an organization registered with clicSÉQUR – Entreprises has users. */
export function ensureMayHaveUsers(organization: Organization): void {
  if (organization.clicSequrStatus !== ClicSequrRegistrationStatus.Registered) {
    throw forbidden("L'organisation doit être inscrite à clicSÉQUR – Entreprises avant d'avoir des utilisateurs.");
  }
}

/**
 * R2: only an RSÉ of O manages O's users, and never their own profile, password reset or
 * suspension (those go through another RSÉ).
 */
export function ensureMayManageUser(actor: Actor, target: User): void {
  if (!isRseOf(actor, target.organization.id)) {
    throw forbidden('Seul un RSÉ de son organisation peut gérer cet utilisateur.');
  }
  if (actor.user.id === target.id) {
    throw forbidden('Un RSÉ ne peut pas effectuer cette opération sur son propre code ; un autre RSÉ de l’organisation doit le faire.');
  }
}

/** R4: only an agent of clicSÉQUR – Entreprises' customer service names an RSÉ. */
export function ensureMayNameRse(actor: Actor): void {
  if (!isCseAgent(actor)) throw forbidden('Seul le service à la clientèle de clicSÉQUR – Entreprises nomme un RSÉ.');
}

/** R4: names compare without case, accents or extra spaces: « Côté » typed as « cote » still matches. */
const comparableName = (name: string): string =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim().toLocaleLowerCase('fr-CA');

/** The person asking for a new RSÉ of a municipal body, as the CSE agent records them (R4). */
export interface RseRequester {
  role: PersonInAuthority['role'];
  givenName: string;
  familyName: string;
}

/**
 * R4: a new RSÉ of a municipal body is named only at the request of a person in authority of the
 * body, listed under that function in the Répertoire des municipalités; any other organization's
 * request is the CSE's to judge.
 */
export function ensureRequesterInAuthority(organization: Organization, listed: readonly PersonInAuthority[], requester: RseRequester): void {
  if (!isMunicipalBody(organization)) return;
  const given = comparableName(requester.givenName);
  const family = comparableName(requester.familyName);
  const match = listed.some((person) => person.role === requester.role && comparableName(person.givenName) === given && comparableName(person.familyName) === family);
  if (!match) {
    throw forbidden(
      "Le demandeur ne figure pas, avec cette fonction, parmi les personnes en autorité de l'organisme au Répertoire des municipalités. " +
        'La correction du Répertoire doit précéder la nomination.',
    );
  }
}
