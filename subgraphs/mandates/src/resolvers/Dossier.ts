import { requireViewer, type PageRequest } from '@pgamr/kit';
import type { MandatesContext } from '../context';
import { CLOSED_STATUSES, type Dossier as DossierEntity, type DossierStatusChange as DossierStatusChangeEntity } from '../dossier/dossier.entity';
import { FormKind, formKindOf, missingFormFields } from '../dossier/program-forms';
import { accessToDossier, readableDossier, visibleMandatesInForce } from '../dossier/readable-dossiers';

const FORM_TYPES: Record<FormKind, string> = {
  [FormKind.Tecq]: 'TecqForm',
  [FormKind.WaterInfrastructure]: 'WaterInfrastructureForm',
  [FormKind.CommunityInfrastructure]: 'CommunityInfrastructureForm',
};

// `requestedAmount` (numeric, read as an exact string), `createdAt` and `updatedAt` (Dates) are
// served as the entity holds them: the kit's Money and DateTime scalars write them out.
export const Dossier = {
  /** `_entities` sent straight to the subgraph get the same answer as `dossier(id)` (R15). */
  __resolveReference: async ({ id }: { id: string }, context: MandatesContext) => {
    requireViewer(context.auth);
    return readableDossier(context, await context.loaders.dossierById.load(id));
  },
  isClosed: (dossier: DossierEntity) => CLOSED_STATUSES.includes(dossier.status),
  form: (dossier: DossierEntity) => ({ ...dossier.form, __typename: FORM_TYPES[formKindOf(dossier.serviceId) ?? FormKind.Tecq] }),
  missingFormFields: (dossier: DossierEntity) => {
    const kind = formKindOf(dossier.serviceId);
    return kind ? missingFormFields(kind, dossier.form) : [];
  },
  viewerPermissions: async (dossier: DossierEntity, _: unknown, context: MandatesContext) => {
    const access = await accessToDossier(context, dossier);
    return { canEdit: access.edit, canSubmit: access.submit, canReview: access.review };
  },
  history: (dossier: DossierEntity, _: unknown, context: MandatesContext) => context.loaders.historyByDossier.load(dossier.id),
  /** R15, R20: who is shown which mandate is decided in policy.ts, on every request. */
  activeMandates: (dossier: DossierEntity, page: PageRequest, context: MandatesContext) => visibleMandatesInForce(context, dossier, page),
  // Entities owned by other subgraphs: a reference the gateway resolves there.
  organization: (dossier: DossierEntity) => ({ __typename: 'Organization', id: dossier.organizationId }),
  service: (dossier: DossierEntity) => ({ __typename: 'OnlineService', id: dossier.serviceId }),
};

export const DossierForm = {
  __resolveType: (form: { __typename: string }) => form.__typename,
};

export const DossierStatusChange = {
  changedBy: (change: DossierStatusChangeEntity) => ({ __typename: 'User', id: change.changedBy }),
};
