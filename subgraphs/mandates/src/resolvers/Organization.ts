import { auditEventResolvers, regionalBodiesOf, requireViewer } from '@pgamr/kit';
import type { DisclosureEntryResolvers, OrganizationResolvers } from '../generated/resolvers-types';
import { visibleMandate } from './Mandate';
import { findReadableDossierPage } from '../dossier/dossier.repository';
import {
  ensureMayListGivenMandates,
  ensureMayListOrganizationDossiers,
  ensureMayListReceivedMandates,
  ensureMayReadAuditTrail,
  ensureMayReadDisclosureLog,
} from '../policy';
import { resolveForeignReference } from './references';

// Every list here is refused per record (policy.ts's ensure…): its field is nullable, so a refusal
// nulls the list and never the organization (API v1, rule 6).
export const Organization = {
  __resolveReference: resolveForeignReference,
  /**
   * R5, R15, R20: the organization's list of dossiers is for its users working in the programs,
   * the owner's staff and its regional direction; a mandataire never gets it, whatever their mandates.
   */
  dossiers: async ({ id }, args, context) => {
    const viewer = requireViewer(context.auth);
    ensureMayListOrganizationDossiers(viewer, await context.rights(), id, await regionalBodiesOf(viewer, context.directory));
    return findReadableDossierPage(context, { organizationId: id }, args.filter, args);
  },
  /** R15: the mandates the organization gave, in the services the caller manages (or their direction owns). */
  mandatesGiven: async ({ id }, page, context) => {
    const services = ensureMayListGivenMandates(requireViewer(context.auth), await context.rights(), id);
    return context.loaders.mandatePagesByOrganization.load(id, { serviceId: { $in: services } }, page);
  },
  /** R15: the mandates a firm received, for the firm's managers. */
  mandatesReceived: async ({ id }, page, context) => {
    ensureMayListReceivedMandates(requireViewer(context.auth), id);
    return context.loaders.mandatePagesByFirm.load(id, {}, page);
  },
  /** What outsiders were shown of the organization's records, for the managers of the services concerned. */
  disclosureLog: async ({ id }, page, context) => {
    const services = ensureMayReadDisclosureLog(requireViewer(context.auth), await context.rights(), id);
    return context.loaders.disclosurePagesByOrganization.load(id, { serviceId: { $in: services } }, page);
  },
  /** R21: the organization's managers of a service, and its owner's staff, read its trail. */
  recordsAuditTrail: async ({ id }, args, context) => {
    ensureMayReadAuditTrail(requireViewer(context.auth), await context.rights(), id, args.serviceId);
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
