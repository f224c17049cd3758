import {
  domainError,
  ErrorCode,
  forbidden,
  hasRole,
  IdentityRole,
  isUuid,
  MANDATING_ROLES,
  SERVICE_MANAGER_ROLES,
  ServiceRole,
  type PerformRole,
  type RightSet,
  type Viewer,
} from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { Dossier } from './dossier/dossier.entity';
import { formKindOf } from './dossier/program-forms';
import { levelAllows, MandateLevel, type Mandate } from './mandate/mandate.entity';
import type { MandateCoverage } from './mandate/mandate.repository';
import { isDossierless, PERFORM_SERVICE_ID } from './perform';
import type { FinancialReport, FinancialReportVersion } from './report/financial-report.entity';
import { REPORT_PARTS, type ReportPart } from './report/report-figures';

// Every access decision of the mandates subgraph: who may see or do what on dossiers, mandates and
// financial reports. Resolvers and services ask here (may…) or are refused here (ensure…), never decide.

// ---------------------------------------------------------------------------------------------
// Dossiers (R14, R15, R17, R20)

/** R14: working in a program's dossiers takes the USER role on its service; managing access alone does not. */
export const DOSSIER_WORKING_ROLES: readonly ServiceRole[] = [ServiceRole.User];

/** R15, R17: what the caller may do on one dossier, and why. */
export interface DossierAccess {
  read: boolean;
  /** Edit the title, amount and form (while the dossier is a draft). */
  edit: boolean;
  submit: boolean;
  /** Move it through review: the service owner's staff (R17). */
  review: boolean;
  /**
   * Set when the caller's only way in is a mandate (R15): reads are disclosed to the organization.
   * Unset on a readable dossier, the caller reads it as the organization's side: its users working
   * in the program or the owner's staff, the people Organization.dossiers lists it for.
   */
  throughMandate?: MandateCoverage;
}

const NO_ACCESS: DossierAccess = { read: false, edit: false, submit: false, review: false };
const READ_ONLY: DossierAccess = { read: true, edit: false, submit: false, review: false };

/**
 * R5, R20: a regional direction's staff follow the municipal bodies of their region
 * (`regionalBodies`, the Répertoire's bodies of it now, from the kit's regionalBodiesOf; empty
 * for anyone else): they read those bodies' dossiers and financial reports, and change nothing.
 */
export const followsBody = (regionalBodies: ReadonlySet<string>, organizationId: string): boolean => regionalBodies.has(organizationId);

/**
 * R15, R16: the caller's mandates in force by dossier, the highest level kept where several cover
 * the same dossier. `coverage` is the caller's own (findActiveCoverage, read on every request).
 */
export function coverageByDossier(coverage: readonly MandateCoverage[]): Map<string, MandateCoverage> {
  const byDossier = new Map<string, MandateCoverage>();
  for (const entry of coverage) {
    const known = byDossier.get(entry.dossierId);
    if (!known || levelAllows(entry.level, known.level)) byDossier.set(entry.dossierId, entry);
  }
  return byDossier;
}

/**
 * R15, R17, R20 in one place: an organization's users holding a right on the dossier's service
 * fill and submit it; the owner's staff read and review it; the regional direction of the body
 * reads it (followsBody); a mandataire works on exactly the dossiers of their mandates in force
 * (`mandate`: the caller's coverage of this dossier, if any), within their level; nobody else
 * sees it. readableDossierCondition states the same rule as SQL
 * (test/dossier-policy-agreement.test.ts proves they agree).
 */
export function dossierAccess(
  viewer: Viewer,
  rights: RightSet,
  dossier: Dossier,
  mandate: MandateCoverage | undefined,
  regionalBodies: ReadonlySet<string>,
): DossierAccess {
  if (viewer.organizationId === dossier.organizationId && rights.has(dossier.serviceId, dossier.organizationId, DOSSIER_WORKING_ROLES)) {
    return { read: true, edit: true, submit: true, review: false };
  }
  if (rights.administers(dossier.serviceId)) return { read: true, edit: false, submit: false, review: true };
  if (followsBody(regionalBodies, dossier.organizationId)) return READ_ONLY;
  if (!mandate) return NO_ACCESS;
  return {
    read: true,
    edit: levelAllows(mandate.level, MandateLevel.Preparation),
    submit: levelAllows(mandate.level, MandateLevel.Transmission),
    review: false,
    throughMandate: mandate,
  };
}

/** R15, R17, R20: may the caller read this dossier at all (see dossierAccess)? */
export const mayReadDossier = (
  viewer: Viewer,
  rights: RightSet,
  dossier: Dossier,
  mandate: MandateCoverage | undefined,
  regionalBodies: ReadonlySet<string>,
): boolean => dossierAccess(viewer, rights, dossier, mandate, regionalBodies).read;

/**
 * R15, R17, R20: dossierAccess's `read` as a query condition, for lists paginated in the database:
 * the caller's own organization's dossiers in the services they work in, the services their
 * direction owns, the bodies their regional direction follows, and `mandatedDossierIds` (the
 * dossiers of their mandates in force). Null when the caller may read none.
 */
export function readableDossierCondition(
  viewer: Viewer,
  rights: RightSet,
  mandatedDossierIds: readonly string[],
  regionalBodies: ReadonlySet<string>,
): FilterQuery<Dossier> | null {
  const memberServices = [...rights.servicesFor(viewer.organizationId, DOSSIER_WORKING_ROLES)];
  const branches: FilterQuery<Dossier>[] = [
    ...(memberServices.length > 0 ? [{ organizationId: viewer.organizationId, serviceId: { $in: memberServices } }] : []),
    ...(rights.administeredServiceIds.length > 0 ? [{ serviceId: { $in: [...rights.administeredServiceIds] } }] : []),
    ...(regionalBodies.size > 0 ? [{ organizationId: { $in: [...regionalBodies] } }] : []),
    ...(mandatedDossierIds.length > 0 ? [{ id: { $in: [...mandatedDossierIds] } }] : []),
  ];
  return branches.length === 0 ? null : { $or: branches };
}

/**
 * R5, R15, R20: the organization's list of dossiers is for its users working in its programs, the
 * owner's staff and its regional direction; a mandataire never gets it, whatever their mandates.
 */
export function mayListOrganizationDossiers(viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): boolean {
  const programs = [...rights.servicesFor(organizationId, DOSSIER_WORKING_ROLES)].filter((serviceId) => formKindOf(serviceId));
  const isMember = viewer.organizationId === organizationId && programs.length > 0;
  return isMember || rights.administeredServiceIds.length > 0 || followsBody(regionalBodies, organizationId);
}

/** R5, R15, R20: refuses the organization's list of dossiers to whoever mayListOrganizationDossiers denies. */
export function ensureMayListOrganizationDossiers(viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): void {
  if (!mayListOrganizationDossiers(viewer, rights, organizationId, regionalBodies)) {
    throw forbidden(
      "Seuls les utilisateurs de l'organisation qui travaillent dans ses programmes, la direction propriétaire et la direction régionale de l'organisme voient ses dossiers.",
    );
  }
}

/**
 * R5, R15, R20 (issue 18): the dossiers a reader's figures (`dossierStatistics`) count, never one
 * they could not list (a part of readableDossierCondition). The staff of a direction: the dossiers
 * of the programs it owns. A regional direction's staff: the dossiers of the bodies of their
 * region (followsBody). An organization's managers (SERVICE_MANAGER_ROLES): their organization's
 * dossiers in each program where they are also a user, which alone lets them list them (R14). A
 * mandataire's mandated dossiers never count: figures across an organization's files are not
 * theirs to learn (R15). Null when the reader gets no figures: a mandataire, a plain user.
 */
export function dossierStatisticsCondition(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): FilterQuery<Dossier> | null {
  const managed = rights.servicesFor(viewer.organizationId, SERVICE_MANAGER_ROLES);
  const listed = [...rights.servicesFor(viewer.organizationId, DOSSIER_WORKING_ROLES)].filter((serviceId) => managed.has(serviceId) && formKindOf(serviceId));
  const branches: FilterQuery<Dossier>[] = [
    ...(rights.administeredServiceIds.length > 0 ? [{ serviceId: { $in: [...rights.administeredServiceIds] } }] : []),
    ...(regionalBodies.size > 0 ? [{ organizationId: { $in: [...regionalBodies] } }] : []),
    ...(listed.length > 0 ? [{ organizationId: viewer.organizationId, serviceId: { $in: listed } }] : []),
  ];
  return branches.length === 0 ? null : { $or: branches };
}

/** R5, R15, R20 (issue 18): refuses dossier figures to whoever dossierStatisticsCondition gives none. */
export function ensureMayReadDossierStatistics(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): FilterQuery<Dossier> {
  const condition = dossierStatisticsCondition(viewer, rights, regionalBodies);
  if (!condition) {
    throw forbidden(
      "Les chiffres des dossiers sont réservés au personnel des directions, sur leurs programmes ou les organismes de leur région, et aux gestionnaires d'une organisation, sur les programmes où ils sont aussi utilisateurs.",
    );
  }
  return condition;
}

/**
 * R14, R17: an organization's user holding the USER right on a program's service opens a dossier
 * in it. Mandataires work only on dossiers they were mandated on, so they create none.
 */
export const mayCreateDossier = (viewer: Viewer, rights: RightSet, dossier: Pick<Dossier, 'organizationId' | 'serviceId'>): boolean =>
  viewer.organizationId === dossier.organizationId && rights.has(dossier.serviceId, dossier.organizationId, DOSSIER_WORKING_ROLES);

/** R14, R17: refuses a new dossier to whoever mayCreateDossier denies. */
export function ensureMayCreateDossier(viewer: Viewer, rights: RightSet, dossier: Pick<Dossier, 'organizationId' | 'serviceId'>): void {
  if (!mayCreateDossier(viewer, rights, dossier)) {
    throw forbidden("Seuls les utilisateurs de l'organisation qui détiennent un droit sur ce programme y ouvrent un dossier.");
  }
}

/** R16, R17: the organization's users, and mandataires from *préparation* up, fill a draft (refused otherwise). */
export function ensureMayEditDossier(access: DossierAccess): void {
  if (!access.edit) throw forbidden('Votre mandat sur ce dossier permet de le consulter, pas de le modifier.');
}

/** R16, R17: the organization's users, and mandataires at *transmission*, submit a draft (refused otherwise). */
export function ensureMaySubmitDossier(access: DossierAccess): void {
  if (!access.submit) throw forbidden('Votre mandat sur ce dossier ne permet pas de le transmettre.');
}

/** R17: only the owner's staff take a submitted dossier into review. */
export function ensureMayReviewDossier(access: DossierAccess): void {
  if (!access.review) throw forbidden('Seul le personnel de la direction propriétaire du programme analyse ses dossiers.');
}

/** R17: only the owner's staff accept or refuse a dossier under review. */
export function ensureMayDecideDossier(access: DossierAccess): void {
  if (!access.review) throw forbidden('Seul le personnel de la direction propriétaire du programme décide de ses dossiers.');
}

// ---------------------------------------------------------------------------------------------
// Mandates (R13, R15, R16, R20)

/** R13: in PERFORM the répondant municipal, who gives the roles, also gives the audit mandate. */
const mandatingRolesOf = (serviceId: string): readonly ServiceRole[] =>
  isDossierless(serviceId) ? [...MANDATING_ROLES, ServiceRole.MunicipalRespondent] : MANDATING_ROLES;

/**
 * R13, R15: the organization's local manager (or a deputy in their period) or mandate manager
 * for a service gives its mandates on it; in PERFORM, also its répondant municipal.
 */
export const mayGiveMandate = (viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): boolean =>
  viewer.organizationId === organizationId && rights.has(serviceId, organizationId, mandatingRolesOf(serviceId));

/** R13, R15: refuses a mandate given by whoever mayGiveMandate denies. */
export function ensureMayGiveMandate(viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): void {
  if (!mayGiveMandate(viewer, rights, organizationId, serviceId)) {
    throw forbidden("Seuls le gestionnaire local et le gestionnaire de mandataires de l'organisation pour ce service donnent des mandats.");
  }
}

/** R13, R15: the services whose mandates the caller gives for their own organization (see mayGiveMandate). */
export function servicesMandatedBy(viewer: Viewer, rights: RightSet, organizationId: string): string[] {
  if (viewer.organizationId !== organizationId) return [];
  const services = rights.servicesFor(organizationId, MANDATING_ROLES);
  if (rights.has(PERFORM_SERVICE_ID, organizationId, [ServiceRole.MunicipalRespondent])) services.add(PERFORM_SERVICE_ID);
  return [...services];
}

/** R16: the firm-side manager, who passes mandates on to colleagues: an RSÉ of the mandated firm. */
export const managesFirm = (viewer: Viewer, firmOrganizationId: string): boolean =>
  viewer.organizationId === firmOrganizationId && hasRole(viewer, IdentityRole.Rse);

/**
 * R15, R20: a mandate concerns its mandataire, the firm's managers, the mandating organization's
 * managers of the service, and the service owner's staff; nobody else learns it exists.
 */
export const maySeeMandate = (viewer: Viewer, rights: RightSet, mandate: Mandate): boolean =>
  viewer.userId === mandate.mandataireId ||
  managesFirm(viewer, mandate.firmOrganizationId) ||
  mayGiveMandate(viewer, rights, mandate.organizationId, mandate.serviceId) ||
  rights.administers(mandate.serviceId);

/**
 * R15, R20: which of a dossier's mandates in force the caller is shown, as a condition on them;
 * null for none. The organization's side (see DossierAccess.throughMandate) that gives the
 * service's mandates, and the owner's staff, see every one; a mandataire only those given to them,
 * never a colleague's or another firm's; the RSÉ of a firm reading as such, also their firm's;
 * whoever cannot read the dossier, none. Each is also one maySeeMandate shows: a user of the
 * organization who does not give the service's mandates reads the dossier, not its mandates.
 */
export function shownDossierMandatesCondition(viewer: Viewer, rights: RightSet, dossier: Dossier, access: DossierAccess): FilterQuery<Mandate> | null {
  if (!access.read) return null;
  const seesAll =
    !access.throughMandate && (mayGiveMandate(viewer, rights, dossier.organizationId, dossier.serviceId) || rights.administers(dossier.serviceId));
  // maySeeMandate's other branches, for a mandate on this dossier: its mandataire, and the RSÉ of its firm.
  return seesAll
    ? {}
    : access.throughMandate || !hasRole(viewer, IdentityRole.Rse)
      ? { mandataireId: viewer.userId }
      : { $or: [{ mandataireId: viewer.userId }, { firmOrganizationId: viewer.organizationId }] };
}

/**
 * R15, R16, R20 (issue 18): the mandates a reader's figures (`mandateStatistics`) count, never one
 * they could not see (maySeeMandate), and only as a manager. The staff of a direction: the mandates
 * on the services it owns. An organization's managers: the mandates it gave in the services they
 * mandate in (servicesMandatedBy). A firm's RSÉ: the mandates their firm received. A mandataire,
 * who sees their own mandates only, and anyone else: none.
 */
export function mandateStatisticsCondition(viewer: Viewer, rights: RightSet): FilterQuery<Mandate> | null {
  const given = servicesMandatedBy(viewer, rights, viewer.organizationId);
  const branches: FilterQuery<Mandate>[] = [
    ...(rights.administeredServiceIds.length > 0 ? [{ serviceId: { $in: [...rights.administeredServiceIds] } }] : []),
    ...(given.length > 0 ? [{ organizationId: viewer.organizationId, serviceId: { $in: given } }] : []),
    ...(managesFirm(viewer, viewer.organizationId) ? [{ firmOrganizationId: viewer.organizationId }] : []),
  ];
  return branches.length === 0 ? null : { $or: branches };
}

/** R15, R16, R20 (issue 18): refuses mandate figures to whoever mandateStatisticsCondition gives none. */
export function ensureMayReadMandateStatistics(viewer: Viewer, rights: RightSet): FilterQuery<Mandate> {
  const condition = mandateStatisticsCondition(viewer, rights);
  if (!condition) {
    throw forbidden("Les chiffres des mandats sont réservés au personnel des directions, aux gestionnaires de l'organisation mandante et au RSÉ de la firme mandataire.");
  }
  return condition;
}

/** R16: a manager of the mandated firm passes its mandate on to colleagues. */
export const mayPassOnMandate = (viewer: Viewer, mandate: Mandate): boolean => managesFirm(viewer, mandate.firmOrganizationId);

/** R16: refuses passing a mandate on to whoever mayPassOnMandate denies. */
export function ensureMayPassOnMandate(viewer: Viewer, mandate: Mandate): void {
  if (!mayPassOnMandate(viewer, mandate)) throw forbidden('Seul un gestionnaire de la firme mandatée transmet ce mandat à ses collègues.');
}

/** The refusal of a sub-delegation that would give more than the mandate it comes from (R16). */
const exceedsMandate = (message: string, reason: 'LEVEL_ABOVE_MANDATE' | 'DATES_BEYOND_MANDATE' | 'DOSSIER_OUTSIDE_MANDATE') =>
  domainError(ErrorCode.Forbidden, message, { reason });

/** R16: a mandate is passed on at its own level or below, never above. */
export const mayPassOnAtLevel = (mandate: Mandate, level: MandateLevel): boolean => levelAllows(mandate.level, level);

/** R16: refuses passing a mandate on above its level (reason LEVEL_ABOVE_MANDATE). */
export function ensureMayPassOnAtLevel(mandate: Mandate, level: MandateLevel): void {
  if (!mayPassOnAtLevel(mandate, level)) throw exceedsMandate('On ne peut transmettre un mandat à un niveau supérieur au sien.', 'LEVEL_ABOVE_MANDATE');
}

/** R16: a mandate is passed on inside its own dates. */
export const mayPassOnForPeriod = (mandate: Mandate, period: { startsOn: string; endsOn: string | null }): boolean =>
  !(period.startsOn < mandate.startsOn || (mandate.endsOn && (!period.endsOn || period.endsOn > mandate.endsOn)));

/** R16: refuses passing a mandate on beyond its dates (reason DATES_BEYOND_MANDATE). */
export function ensureMayPassOnForPeriod(mandate: Mandate, period: { startsOn: string; endsOn: string | null }): void {
  if (!mayPassOnForPeriod(mandate, period)) throw exceedsMandate('On ne peut transmettre un mandat au-delà de ses propres dates.', 'DATES_BEYOND_MANDATE');
}

/** R16: a mandate is passed on on some or all of its own dossiers still open (`openDossierIds`). */
export const mayPassOnDossiers = (openDossierIds: readonly string[], dossierIds: readonly string[]): boolean =>
  dossierIds.every((id) => openDossierIds.includes(id));

/** R16: refuses passing a mandate on on other dossiers than its own open ones (reason DOSSIER_OUTSIDE_MANDATE). */
export function ensureMayPassOnDossiers(openDossierIds: readonly string[], dossierIds: readonly string[]): void {
  if (!mayPassOnDossiers(openDossierIds, dossierIds)) {
    throw exceedsMandate('On ne peut transmettre un mandat que sur ses propres dossiers encore ouverts.', 'DOSSIER_OUTSIDE_MANDATE');
  }
}

/**
 * R15, R16: the mandating organization's managers revoke any of its mandates; the firm's managers
 * revoke the ones passed on inside the firm.
 */
export const mayRevokeMandate = (viewer: Viewer, rights: RightSet, mandate: Mandate): boolean =>
  mayGiveMandate(viewer, rights, mandate.organizationId, mandate.serviceId) ||
  (mandate.parent !== null && mandate.parent !== undefined && managesFirm(viewer, mandate.firmOrganizationId));

/** R15, R16: refuses a revocation by whoever mayRevokeMandate denies. */
export function ensureMayRevokeMandate(viewer: Viewer, rights: RightSet, mandate: Mandate): void {
  if (!mayRevokeMandate(viewer, rights, mandate)) throw forbidden("Seuls les gestionnaires de l'organisation mandante révoquent ce mandat.");
}

/**
 * R15, R20: the services whose given mandates the caller lists for the organization: those whose
 * mandates they give, and those their direction owns. Refused when there are none.
 */
export function ensureMayListGivenMandates(viewer: Viewer, rights: RightSet, organizationId: string): string[] {
  const services = [...servicesMandatedBy(viewer, rights, organizationId), ...rights.administeredServiceIds];
  if (services.length === 0) throw forbidden("Seuls les gestionnaires de l'organisation voient les mandats qu'elle a donnés.");
  return services;
}

/** R15, R16: the mandates a firm received are for the firm's managers. */
export const mayListReceivedMandates = (viewer: Viewer, firmOrganizationId: string): boolean => managesFirm(viewer, firmOrganizationId);

/** R15, R16: refuses a firm's received mandates to whoever mayListReceivedMandates denies. */
export function ensureMayListReceivedMandates(viewer: Viewer, firmOrganizationId: string): void {
  if (!mayListReceivedMandates(viewer, firmOrganizationId)) {
    throw forbidden('Seuls les responsables des services électroniques de la firme voient les mandats qu’elle a reçus.');
  }
}

/**
 * R15, R16, R20: which of a user's mandates the caller lists: all of them for the user themselves,
 * those held from their own firm for an RSÉ; refused to anyone else.
 */
export function ensureMayListUserMandates(viewer: Viewer, userId: string): FilterQuery<Mandate> {
  if (viewer.userId === userId) return {};
  if (hasRole(viewer, IdentityRole.Rse)) return { firmOrganizationId: viewer.organizationId };
  throw forbidden("Seuls l'utilisateur lui-même et les responsables de sa firme voient ses mandats.");
}

/**
 * R13, R20: the mandates decision point answers the organization's own users, the mandataire about
 * themselves, and ministry staff; anyone else is refused (a 403, which the client takes as "no
 * mandate"). Decided on the token alone.
 */
export const mayAskMandateDecision = (viewer: Viewer, question: { organizationId: string; mandataireId: string }): boolean =>
  viewer.organizationId === question.organizationId || viewer.userId === question.mandataireId || hasRole(viewer, IdentityRole.MinistryStaff);

/** R13, R20: the decision point's answer to a caller who may not ask (mayAskMandateDecision): HTTP 403, read by the client as "no mandate". */
export const MANDATE_DECISION_REFUSAL = { status: 403, body: { error: ErrorCode.Forbidden } } as const;

// ---------------------------------------------------------------------------------------------
// What outsiders were shown, and the audit trail (R20, R21)

/**
 * R20, R21: what outsiders were shown of the organization's records is read by its managers of the
 * services concerned: the services of the log the caller reads; refused when there are none.
 */
export function ensureMayReadDisclosureLog(viewer: Viewer, rights: RightSet, organizationId: string): string[] {
  const services = viewer.organizationId === organizationId ? [...rights.servicesFor(organizationId, SERVICE_MANAGER_ROLES)] : [];
  if (services.length === 0) throw forbidden("Seuls les gestionnaires de l'organisation consultent son registre des communications.");
  return services;
}

/** R21: the organization's managers of a service, and its owner's staff, read its trail of that service. */
export function mayReadAuditTrail(viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): boolean {
  const oversees = viewer.organizationId === organizationId && rights.has(serviceId, organizationId, SERVICE_MANAGER_ROLES);
  return isUuid(serviceId) && (oversees || rights.administers(serviceId));
}

/** R21: refuses the trail to whoever mayReadAuditTrail denies. */
export function ensureMayReadAuditTrail(viewer: Viewer, rights: RightSet, organizationId: string, serviceId: string): void {
  if (!mayReadAuditTrail(viewer, rights, organizationId, serviceId)) {
    throw forbidden("Seuls les gestionnaires de l'organisation pour ce service et la direction propriétaire lisent ce journal.");
  }
}

// ---------------------------------------------------------------------------------------------
// Financial reports (R13, R18, R19, R20)

/** R13: a role under which someone reads an organization's reports. */
export type ReportReaderRole = PerformRole | typeof ServiceRole.MunicipalRespondent;

/**
 * R13, R19: who reads an organization's reports: every PERFORM role and the répondant municipal.
 * The order says which role a disclosure names when an outsider holds several: the external
 * auditor's first.
 */
export const READER_ROLES: readonly ReportReaderRole[] = [
  ServiceRole.PerformExternalAuditor,
  ServiceRole.PerformPreparer,
  ServiceRole.PerformReviewer,
  ServiceRole.PerformSignatory,
  ServiceRole.PerformTransmitter,
  ServiceRole.MunicipalRespondent,
];

/** R13, R20: how the caller reads an organization's reports. */
export type ReportReading =
  | { read: false }
  | {
      read: true;
      /**
       * Null for the body's own users and DNIFF staff: nothing to disclose. R20: for someone of
       * another organization (a firm's auditor…), whose every read is logged, the role it is under.
       */
      disclosedAs: ReportReaderRole | null;
      /**
       * R13: the external auditor sees the audited financial report only, not the other unaudited
       * financial information nor the forecast data; true when that is the caller's only role.
       */
      auditedPagesOnly: boolean;
    };

/**
 * R5, R13, R20: holders of a PERFORM role (or the répondant municipal) on the organization read its
 * reports, whatever their own organization; DNIFF, PERFORM's owner, reads every report, and the
 * body's regional direction its reports (followsBody), both as the ministry: nothing to disclose;
 * nobody else learns one exists. An external auditor and nothing else reads the audited pages only.
 */
export function reportReading(viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): ReportReading {
  if (rights.administers(PERFORM_SERVICE_ID) || followsBody(regionalBodies, organizationId)) return { read: true, disclosedAs: null, auditedPagesOnly: false };
  const held = READER_ROLES.filter((role) => rights.has(PERFORM_SERVICE_ID, organizationId, [role]));
  if (held.length === 0) return { read: false };
  return {
    read: true,
    disclosedAs: viewer.organizationId === organizationId ? null : held[0]!,
    auditedPagesOnly: held.every((role) => role === ServiceRole.PerformExternalAuditor),
  };
}

/** R13, R20: may the caller read the organization's reports (see reportReading)? */
export const mayReadReports = (viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): boolean =>
  reportReading(viewer, rights, organizationId, regionalBodies).read;

/** R19, R20: refuses the list of the organization's reports to anyone who may read none (the list itself would tell what exists). */
export function ensureMayReadReports(viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): void {
  if (!mayReadReports(viewer, rights, organizationId, regionalBodies)) {
    throw forbidden(
      "Seuls les titulaires d'un rôle PERFORM de l'organisation, son répondant municipal, la DNIFF et la direction régionale de l'organisme consultent ses rapports financiers.",
    );
  }
}

const AUDITED_PAGES: readonly ReportPart[] = ['auditedFinancialReport'];

/** R13: the parts of the organization's reports the caller reads: every part, the audited financial report only (the external auditor), or none. */
export function visibleReportParts(viewer: Viewer, rights: RightSet, organizationId: string, regionalBodies: ReadonlySet<string>): readonly ReportPart[] {
  const reading = reportReading(viewer, rights, organizationId, regionalBodies);
  if (!reading.read) return [];
  return reading.auditedPagesOnly ? AUDITED_PAGES : REPORT_PARTS;
}

/** R13, R18, R20: whose reports a reader's figures count: every municipal body's, or those of `organizationIds`. */
export type ReportStatisticsScope = { everyBody: true } | { everyBody: false; organizationIds: readonly string[] };

/**
 * R5, R13, R18, R20 (issue 18): whose reports a reader's figures (`financialReportStatistics`)
 * count, never one they could not read (reportReading), and, for a question on missing reports,
 * which bodies owe one. DNIFF, PERFORM's owner: every body's. A regional direction's staff: the
 * bodies of their region (followsBody). The organization's managers who read its reports (the
 * répondant municipal): their own organization's. An outsider holding a PERFORM role (a firm's
 * external auditor reads one body's audited pages, not figures across it), another PERFORM role,
 * anyone else: none (null).
 */
export function reportStatisticsScope(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): ReportStatisticsScope | null {
  if (rights.administers(PERFORM_SERVICE_ID)) return { everyBody: true };
  const managesAndReads =
    rights.has(PERFORM_SERVICE_ID, viewer.organizationId, SERVICE_MANAGER_ROLES) && mayReadReports(viewer, rights, viewer.organizationId, regionalBodies);
  const organizationIds = new Set(regionalBodies);
  if (managesAndReads) organizationIds.add(viewer.organizationId);
  return organizationIds.size === 0 ? null : { everyBody: false, organizationIds: [...organizationIds] };
}

/** R5, R13, R18, R20 (issue 18): refuses report figures to whoever reportStatisticsScope gives none. */
export function ensureMayReadReportStatistics(viewer: Viewer, rights: RightSet, regionalBodies: ReadonlySet<string>): ReportStatisticsScope {
  const scope = reportStatisticsScope(viewer, rights, regionalBodies);
  if (!scope) {
    throw forbidden(
      'Les chiffres des rapports financiers sont réservés à la DNIFF, à la direction régionale, pour les organismes de sa région, et au répondant municipal, pour son organisme.',
    );
  }
  return scope;
}

/** R13: does the caller hold this PERFORM role on the organization now? DNIFF's read access gives no role. */
const holdsPerformRole = (rights: RightSet, organizationId: string, role: PerformRole): boolean =>
  rights.has(PERFORM_SERVICE_ID, organizationId, [role]);

/** R13, R18: a preparer of the municipal body opens its report for a fiscal year. */
export const mayCreateReport = (rights: RightSet, organizationId: string): boolean =>
  holdsPerformRole(rights, organizationId, ServiceRole.PerformPreparer);

/** R13, R18: refuses a new report to whoever mayCreateReport denies. */
export function ensureMayCreateReport(rights: RightSet, organizationId: string): void {
  if (!mayCreateReport(rights, organizationId)) throw forbidden("Seul un préparateur PERFORM de l'organisation crée son rapport financier.");
}

/** The PERFORM role each step on an existing report takes (R13, R18), and the refusal of whoever lacks it. */
const REPORT_STEPS = {
  fill: { role: ServiceRole.PerformPreparer, refusal: "Seul un préparateur PERFORM de l'organisation remplit son rapport financier." },
  audit: { role: ServiceRole.PerformExternalAuditor, refusal: "Seul le vérificateur externe de l'organisation marque son rapport financier audité." },
  attest: { role: ServiceRole.PerformSignatory, refusal: "Seul le signataire de l'organisation atteste son rapport financier." },
  transmit: { role: ServiceRole.PerformTransmitter, refusal: "Seul le transmetteur de l'organisation transmet son rapport financier au ministère." },
  amend: { role: ServiceRole.PerformPreparer, refusal: "Seul un préparateur PERFORM de l'organisation amende son rapport financier." },
} as const satisfies Record<string, { role: PerformRole; refusal: string }>;

/** R13, R18: a step on a report: fill (preparer), audit (external auditor), attest (signatory), transmit (transmitter), amend (preparer). */
export type ReportStep = keyof typeof REPORT_STEPS;

/** R13, R18: does the caller hold, now, the PERFORM role this step takes on the organization's report? */
export const mayChangeReport = (rights: RightSet, organizationId: string, step: ReportStep): boolean =>
  holdsPerformRole(rights, organizationId, REPORT_STEPS[step].role);

/** R13, R18: refuses a step on a report to whoever mayChangeReport denies. */
export function ensureMayChangeReport(rights: RightSet, organizationId: string, step: ReportStep): void {
  if (!mayChangeReport(rights, organizationId, step)) throw forbidden(REPORT_STEPS[step].refusal);
}

/**
 * R13: one person is never both external auditor and signatory of the same report, across its
 * versions: whoever attested any version does not audit it.
 */
export const mayAuditReport = (viewer: Viewer, report: FinancialReport, versions: readonly FinancialReportVersion[]): boolean =>
  report.attestedBy !== viewer.userId && !versions.some((version) => version.attestedBy === viewer.userId);

/** R13: refuses the audit mark to whoever attested the report (see mayAuditReport). */
export function ensureMayAuditReport(viewer: Viewer, report: FinancialReport, versions: readonly FinancialReportVersion[]): void {
  if (!mayAuditReport(viewer, report, versions)) {
    throw forbidden('Vous avez attesté ce rapport : une même personne ne peut en être à la fois le vérificateur externe et le signataire.');
  }
}

/** R13: whoever audited any version of a report does not attest it (the same separation). */
export const mayAttestReport = (viewer: Viewer, report: FinancialReport, versions: readonly FinancialReportVersion[]): boolean =>
  report.auditedBy !== viewer.userId && !versions.some((version) => version.auditedBy === viewer.userId);

/** R13: refuses the attestation to whoever audited the report (see mayAttestReport). */
export function ensureMayAttestReport(viewer: Viewer, report: FinancialReport, versions: readonly FinancialReportVersion[]): void {
  if (!mayAttestReport(viewer, report, versions)) {
    throw forbidden('Vous avez audité ce rapport : une même personne ne peut en être à la fois le vérificateur externe et le signataire.');
  }
}
