import { auditEventResolvers, forbidden, isUuid, requireViewer } from '@pgamr/kit';
import { DOSSIER_WORKING_ROLES } from '../access/record-access';
import type { DisclosureEntryResolvers, OrganizationResolvers } from '../generated/resolvers-types';
import { visibleMandate } from './Mandate';
import { findReadableDossierPage } from '../dossier/dossier.repository';
import { formKindOf } from '../dossier/program-forms';
import { managesFirm, OVERSIGHT_ROLES, servicesMandatedBy } from '../mandate/mandate.rules';
import { resolveForeignReference } from './references';

// Every list here is refused per record (FORBIDDEN): its field is nullable, so a refusal nulls the
// list and never the organization (API v1, rule 6).
export const Organization = {
  __resolveReference: resolveForeignReference,
  /**
   * R15, R20: the organization's list of dossiers is for its users working in the programs and
   * the owner's staff; a mandataire never gets it, whatever their mandates.
   */
  dossiers: async ({ id }, args, context) => {
    const viewer = requireViewer(context.auth);
    const rights = await context.rights();
    const programs = [...rights.servicesFor(id, DOSSIER_WORKING_ROLES)].filter((serviceId) => formKindOf(serviceId));
    const isMember = viewer.organizationId === id && programs.length > 0;
    if (!isMember && rights.administeredServiceIds.length === 0) {
      throw forbidden("Seuls les utilisateurs de l'organisation qui travaillent dans ses programmes et la direction propriétaire voient ses dossiers.");
    }
    return findReadableDossierPage(context, { organizationId: id }, args.filter, args);
  },
  /** R15: the mandates the organization gave, in the services the caller manages (or their direction owns). */
  mandatesGiven: async ({ id }, page, context) => {
    const viewer = requireViewer(context.auth);
    const rights = await context.rights();
    const services = [...servicesMandatedBy(viewer, rights, id), ...rights.administeredServiceIds];
    if (services.length === 0) throw forbidden("Seuls les gestionnaires de l'organisation voient les mandats qu'elle a donnés.");
    return context.loaders.mandatePagesByOrganization.load(id, { serviceId: { $in: services } }, page);
  },
  /** R15: the mandates a firm received, for the firm's managers. */
  mandatesReceived: async ({ id }, page, context) => {
    if (!managesFirm(requireViewer(context.auth), id)) {
      throw forbidden('Seuls les responsables des services électroniques de la firme voient les mandats qu’elle a reçus.');
    }
    return context.loaders.mandatePagesByFirm.load(id, {}, page);
  },
  /** What outsiders were shown of the organization's records, for the managers of the services concerned. */
  disclosureLog: async ({ id }, page, context) => {
    const viewer = requireViewer(context.auth);
    const services = viewer.organizationId === id ? [...(await context.rights()).servicesFor(id, OVERSIGHT_ROLES)] : [];
    if (services.length === 0) throw forbidden("Seuls les gestionnaires de l'organisation consultent son registre des communications.");
    return context.loaders.disclosurePagesByOrganization.load(id, { serviceId: { $in: services } }, page);
  },
  /** R21: the organization's managers of a service, and its owner's staff, read its trail. */
  recordsAuditTrail: async ({ id }, args, context) => {
    const viewer = requireViewer(context.auth);
    const rights = await context.rights();
    const oversees = viewer.organizationId === id && rights.has(args.serviceId, id, OVERSIGHT_ROLES);
    if (!isUuid(args.serviceId) || !(oversees || rights.administers(args.serviceId))) {
      throw forbidden("Seuls les gestionnaires de l'organisation pour ce service et la direction propriétaire lisent ce journal.");
    }
    return context.loaders.auditTrailPagesByOrganization.load(id, { serviceId: args.serviceId }, args);
  },
} satisfies OrganizationResolvers;

// `occurredAt` (DateTime) is served as the entity holds it.
export const DisclosureEntry = {
  reader: (entry) => ({ __typename: 'User', id: entry.readerUserId }),
  readerOrganization: (entry) => ({ __typename: 'Organization', id: entry.readerOrganizationId }),
  service: (entry) => ({ __typename: 'OnlineService', id: entry.serviceId }),
  // The log's reader (a manager of the service, the répondant municipal) sees the mandate only
  // where `mandate(id)` would show it to them (R15, R20): the entry says a mandate was the basis.
  mandate: (entry, _, context) =>
    entry.mandateId ? visibleMandate(context, entry.mandateId) : null,
} satisfies DisclosureEntryResolvers;

/** The kit's audit entry (occurredAt, before and after served as stored; the actor a User reference). */
export const AuditEvent = auditEventResolvers;
