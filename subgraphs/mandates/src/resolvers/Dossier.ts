import { requireViewer } from '@pgamr/kit';
import type { DossierForm as DossierFormType, DossierFormResolvers, DossierResolvers, DossierStatusChangeResolvers } from '../generated/resolvers-types';
import { CLOSED_STATUSES } from '../dossier/dossier.entity';
import { FormKind, formKindOf, missingFormFields } from '../dossier/program-forms';
import { accessToDossier, readableDossier, visibleMandatesInForce } from '../dossier/readable-dossiers';

const FORM_TYPES: Record<FormKind, NonNullable<DossierFormType['__typename']>> = {
  [FormKind.Tecq]: 'TecqForm',
  [FormKind.WaterInfrastructure]: 'WaterInfrastructureForm',
  [FormKind.CommunityInfrastructure]: 'CommunityInfrastructureForm',
};

// `requestedAmount` (numeric, read as an exact string), `createdAt` and `updatedAt` (Dates) are
// served as the entity holds them: the kit's Money and DateTime scalars write them out.
export const Dossier = {
  /** `_entities` sent straight to the subgraph get the same answer as `dossier(id)` (R15). */
  __resolveReference: async ({ id }, context) => {
    requireViewer(context.auth);
    return readableDossier(context, await context.loaders.dossierById.load(id));
  },
  isClosed: (dossier) => CLOSED_STATUSES.includes(dossier.status),
  form: (dossier) => ({ ...dossier.form, __typename: FORM_TYPES[formKindOf(dossier.serviceId) ?? FormKind.Tecq] }),
  missingFormFields: (dossier) => {
    const kind = formKindOf(dossier.serviceId);
    return kind ? missingFormFields(kind, dossier.form) : [];
  },
  viewerPermissions: async (dossier, _, context) => {
    const access = await accessToDossier(context, dossier);
    return { canEdit: access.edit, canSubmit: access.submit, canReview: access.review };
  },
  history: (dossier, _, context) => context.loaders.historyByDossier.load(dossier.id),
  /** R15, R20: who is shown which mandate is decided in policy.ts, on every request. */
  activeMandates: (dossier, page, context) => visibleMandatesInForce(context, dossier, page),
  // Entities owned by other subgraphs: a reference the gateway resolves there.
  organization: (dossier) => ({ __typename: 'Organization', id: dossier.organizationId }),
  service: (dossier) => ({ __typename: 'OnlineService', id: dossier.serviceId }),
} satisfies DossierResolvers;

export const DossierForm = {
  __resolveType: (form) => form.__typename,
} satisfies DossierFormResolvers;

export const DossierStatusChange = {
  changedBy: (change) => ({ __typename: 'User', id: change.changedBy }),
} satisfies DossierStatusChangeResolvers;
