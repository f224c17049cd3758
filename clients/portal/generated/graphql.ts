/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Nature d'une demande d'accès. */
export type AccessRequestKind =
  /** Demande d'accès ordinaire (décidée par le gestionnaire local ou son adjoint). */
  | 'ACCESS'
  /** Première demande d'une organisation sans gestionnaire local : devenir gestionnaire local (décidée par la direction propriétaire). */
  | 'LOCAL_MANAGER';

/** État d'une demande d'accès. */
export type AccessRequestStatus =
  /** Annulée par le demandeur. */
  | 'CANCELLED'
  /** Accordée. */
  | 'GRANTED'
  /** En attente de décision. */
  | 'PENDING'
  /** Refusée, avec un motif. */
  | 'REFUSED';

/** Filtres d'une liste de dossiers. */
export type DossierFilter = {
  /** Seulement les dossiers de cette organisation. */
  organizationId?: string | null | undefined;
  /** Seulement les dossiers dont le titre contient ce texte, sans égard à la casse (au plus 100 caractères). */
  search?: string | null | undefined;
  /** Seulement les dossiers de ce programme. */
  serviceId?: string | null | undefined;
  /** Seulement les dossiers à cette étape. */
  status?: DossierStatus | null | undefined;
};

/** Étape d'un dossier. Un dossier accepté ou refusé est fermé. */
export type DossierStatus =
  /** Accepté (dossier fermé). */
  | 'ACCEPTED'
  /** En préparation par l'organisation ou ses mandataires. */
  | 'DRAFT'
  /** En analyse par la direction propriétaire du service. */
  | 'IN_REVIEW'
  /** Refusé (dossier fermé). */
  | 'REFUSED'
  /** Transmis au ministère. */
  | 'SUBMITTED';

/** Disponibilité d'un service en ligne. */
export type OnlineServiceStatus =
  /** Offert dans le portail. */
  | 'AVAILABLE'
  /** Retiré du portail. */
  | 'RETIRED'
  /** Temporairement indisponible. */
  | 'SUSPENDED';

/** Code d'un secteur du portail. */
export type SectorCode =
  /** Infrastructures : programmes d'aide financière aux infrastructures municipales (DGI, voirie locale du MTMD). */
  | 'INFRASTRUCTURES'
  /** Finances municipales : PERFORM. */
  | 'MUNICIPAL_FINANCES'
  /** Services communs du portail. */
  | 'PORTAL';

/** Rôle d'un utilisateur sur un service en ligne, pour une organisation. */
export type ServiceRole =
  /** Gestionnaire local adjoint, pendant sa période seulement. */
  | 'DEPUTY_MANAGER'
  /** Gestionnaire local des droits d'accès de l'organisation (un seul par service et organisation). */
  | 'LOCAL_MANAGER'
  /** Gestionnaire de mandataires. */
  | 'MANDATE_MANAGER'
  /** Répondant municipal : attribue et retire les rôles PERFORM de l'organisation (R13). */
  | 'MUNICIPAL_RESPONDENT'
  /**
   * PERFORM : vérificateur externe. Voit le rapport financier audité seulement, ni les autres
   * renseignements financiers non audités ni les données prévisionnelles ; donné seulement à un
   * utilisateur d'une firme de vérificateur qui détient un mandat PERFORM en vigueur de l'organisation (R13).
   */
  | 'PERFORM_EXTERNAL_AUDITOR'
  /** PERFORM : préparateur (remplit les formulaires). Comme les autres rôles PERFORM, sauf le vérificateur externe, donné à un utilisateur de l'organisation seulement. */
  | 'PERFORM_PREPARER'
  /** PERFORM : réviseur. */
  | 'PERFORM_REVIEWER'
  /** PERFORM : signataire (le trésorier, qui atteste). */
  | 'PERFORM_SIGNATORY'
  /** PERFORM : transmetteur. */
  | 'PERFORM_TRANSMITTER'
  /** Utilisateur du service : y travaille. */
  | 'USER';

export type DossiersQueryVariables = Exact<{
  filter?: DossierFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DossiersQuery = { dossiers: { totalCount: number, pageInfo: { endCursor: string | null, hasNextPage: boolean }, nodes: Array<{ id: string, title: string, status: DossierStatus, requestedAmount: number, updatedAt: string, service: { id: string, code: string, name: string }, organization: { id: string, name: string } }> } };

export type DossierSummaryFragment = { id: string, title: string, status: DossierStatus, requestedAmount: number, updatedAt: string, service: { id: string, code: string, name: string }, organization: { id: string, name: string } };

export type LocalManagerQueryVariables = Exact<{
  serviceId: string;
  organizationId: string;
}>;


export type LocalManagerQuery = { localManager: { hasLocalManager: boolean, localManager: { id: string, givenName: string, familyName: string } | null, activeDeputies: Array<{ id: string, givenName: string, familyName: string }> } };

export type MyOnlineServicesQueryVariables = Exact<{ [key: string]: never; }>;


export type MyOnlineServicesQuery = { me: { id: string, givenName: string, familyName: string, organization: { id: string, name: string }, onlineServices: Array<{ sector: { code: SectorCode, name: string }, services: Array<{ roles: Array<ServiceRole>, service: { id: string, code: string, name: string, supportContact: { name: string, phone: string, email: string } } }> }> } };

export type OnlineServicesCatalogQueryVariables = Exact<{ [key: string]: never; }>;


export type OnlineServicesCatalogQuery = { onlineServices: Array<{ id: string, code: string, name: string, description: string, status: OnlineServiceStatus, sector: { code: SectorCode, name: string }, owner: { ministry: string, directionName: string } }> };

export type RequestAccessMutationVariables = Exact<{
  serviceId: string;
}>;


export type RequestAccessMutation = { requestAccess: { id: string, kind: AccessRequestKind, status: AccessRequestStatus, createdAt: string, service: { id: string, name: string } } };

export const DossierSummaryFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DossierSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dossier"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"requestedAmount"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DossierSummaryFragment, unknown>;
export const DossiersDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Dossiers"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"filter"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DossierFilter"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"dossiers"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"Variable","name":{"kind":"Name","value":"filter"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endCursor"}},{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DossierSummary"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DossierSummary"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Dossier"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"title"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"requestedAmount"}},{"kind":"Field","name":{"kind":"Name","value":"updatedAt"}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]} as unknown as DocumentNode<DossiersQuery, DossiersQueryVariables>;
export const LocalManagerDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"LocalManager"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"organizationId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"localManager"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serviceId"}}},{"kind":"Argument","name":{"kind":"Name","value":"organizationId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"organizationId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasLocalManager"}},{"kind":"Field","name":{"kind":"Name","value":"localManager"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}}]}},{"kind":"Field","name":{"kind":"Name","value":"activeDeputies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}}]}}]}}]}}]} as unknown as DocumentNode<LocalManagerQuery, LocalManagerQueryVariables>;
export const MyOnlineServicesDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyOnlineServices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"givenName"}},{"kind":"Field","name":{"kind":"Name","value":"familyName"}},{"kind":"Field","name":{"kind":"Name","value":"organization"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"onlineServices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sector"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"services"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"roles"}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"supportContact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<MyOnlineServicesQuery, MyOnlineServicesQueryVariables>;
export const OnlineServicesCatalogDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"OnlineServicesCatalog"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"onlineServices"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"sector"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"owner"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"ministry"}},{"kind":"Field","name":{"kind":"Name","value":"directionName"}}]}}]}}]}}]} as unknown as DocumentNode<OnlineServicesCatalogQuery, OnlineServicesCatalogQueryVariables>;
export const RequestAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RequestAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"serviceId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"requestAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"serviceId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"serviceId"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"service"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<RequestAccessMutation, RequestAccessMutationVariables>;