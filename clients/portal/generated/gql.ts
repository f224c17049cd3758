/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Dossiers($filter: DossierFilter, $first: Int, $after: String) {\n  dossiers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    nodes {\n      ...DossierSummary\n    }\n  }\n}\n\nfragment DossierSummary on Dossier {\n  id\n  title\n  status\n  requestedAmount\n  updatedAt\n  service {\n    id\n    code\n    name\n  }\n  organization {\n    id\n    name\n  }\n}": typeof types.DossiersDocument,
    "query LocalManager($serviceId: ID!, $organizationId: ID!) {\n  localManager(serviceId: $serviceId, organizationId: $organizationId) {\n    hasLocalManager\n    localManager {\n      id\n      givenName\n      familyName\n    }\n    activeDeputies {\n      id\n      givenName\n      familyName\n    }\n  }\n}": typeof types.LocalManagerDocument,
    "query MyOnlineServices {\n  me {\n    id\n    givenName\n    familyName\n    organization {\n      id\n      name\n    }\n    onlineServices {\n      sector {\n        code\n        name\n      }\n      services {\n        roles\n        service {\n          id\n          code\n          name\n          supportContact {\n            name\n            phone\n            email\n          }\n        }\n      }\n    }\n  }\n}": typeof types.MyOnlineServicesDocument,
    "query OnlineServicesCatalog {\n  onlineServices {\n    id\n    code\n    name\n    description\n    status\n    sector {\n      code\n      name\n    }\n    owner {\n      ministry\n      directionName\n    }\n  }\n}": typeof types.OnlineServicesCatalogDocument,
    "mutation RequestAccess($serviceId: ID!) {\n  requestAccess(serviceId: $serviceId) {\n    id\n    kind\n    status\n    createdAt\n    service {\n      id\n      name\n    }\n  }\n}": typeof types.RequestAccessDocument,
};
const documents: Documents = {
    "query Dossiers($filter: DossierFilter, $first: Int, $after: String) {\n  dossiers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    nodes {\n      ...DossierSummary\n    }\n  }\n}\n\nfragment DossierSummary on Dossier {\n  id\n  title\n  status\n  requestedAmount\n  updatedAt\n  service {\n    id\n    code\n    name\n  }\n  organization {\n    id\n    name\n  }\n}": types.DossiersDocument,
    "query LocalManager($serviceId: ID!, $organizationId: ID!) {\n  localManager(serviceId: $serviceId, organizationId: $organizationId) {\n    hasLocalManager\n    localManager {\n      id\n      givenName\n      familyName\n    }\n    activeDeputies {\n      id\n      givenName\n      familyName\n    }\n  }\n}": types.LocalManagerDocument,
    "query MyOnlineServices {\n  me {\n    id\n    givenName\n    familyName\n    organization {\n      id\n      name\n    }\n    onlineServices {\n      sector {\n        code\n        name\n      }\n      services {\n        roles\n        service {\n          id\n          code\n          name\n          supportContact {\n            name\n            phone\n            email\n          }\n        }\n      }\n    }\n  }\n}": types.MyOnlineServicesDocument,
    "query OnlineServicesCatalog {\n  onlineServices {\n    id\n    code\n    name\n    description\n    status\n    sector {\n      code\n      name\n    }\n    owner {\n      ministry\n      directionName\n    }\n  }\n}": types.OnlineServicesCatalogDocument,
    "mutation RequestAccess($serviceId: ID!) {\n  requestAccess(serviceId: $serviceId) {\n    id\n    kind\n    status\n    createdAt\n    service {\n      id\n      name\n    }\n  }\n}": types.RequestAccessDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Dossiers($filter: DossierFilter, $first: Int, $after: String) {\n  dossiers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    nodes {\n      ...DossierSummary\n    }\n  }\n}\n\nfragment DossierSummary on Dossier {\n  id\n  title\n  status\n  requestedAmount\n  updatedAt\n  service {\n    id\n    code\n    name\n  }\n  organization {\n    id\n    name\n  }\n}"): (typeof documents)["query Dossiers($filter: DossierFilter, $first: Int, $after: String) {\n  dossiers(filter: $filter, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      endCursor\n      hasNextPage\n    }\n    nodes {\n      ...DossierSummary\n    }\n  }\n}\n\nfragment DossierSummary on Dossier {\n  id\n  title\n  status\n  requestedAmount\n  updatedAt\n  service {\n    id\n    code\n    name\n  }\n  organization {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query LocalManager($serviceId: ID!, $organizationId: ID!) {\n  localManager(serviceId: $serviceId, organizationId: $organizationId) {\n    hasLocalManager\n    localManager {\n      id\n      givenName\n      familyName\n    }\n    activeDeputies {\n      id\n      givenName\n      familyName\n    }\n  }\n}"): (typeof documents)["query LocalManager($serviceId: ID!, $organizationId: ID!) {\n  localManager(serviceId: $serviceId, organizationId: $organizationId) {\n    hasLocalManager\n    localManager {\n      id\n      givenName\n      familyName\n    }\n    activeDeputies {\n      id\n      givenName\n      familyName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyOnlineServices {\n  me {\n    id\n    givenName\n    familyName\n    organization {\n      id\n      name\n    }\n    onlineServices {\n      sector {\n        code\n        name\n      }\n      services {\n        roles\n        service {\n          id\n          code\n          name\n          supportContact {\n            name\n            phone\n            email\n          }\n        }\n      }\n    }\n  }\n}"): (typeof documents)["query MyOnlineServices {\n  me {\n    id\n    givenName\n    familyName\n    organization {\n      id\n      name\n    }\n    onlineServices {\n      sector {\n        code\n        name\n      }\n      services {\n        roles\n        service {\n          id\n          code\n          name\n          supportContact {\n            name\n            phone\n            email\n          }\n        }\n      }\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query OnlineServicesCatalog {\n  onlineServices {\n    id\n    code\n    name\n    description\n    status\n    sector {\n      code\n      name\n    }\n    owner {\n      ministry\n      directionName\n    }\n  }\n}"): (typeof documents)["query OnlineServicesCatalog {\n  onlineServices {\n    id\n    code\n    name\n    description\n    status\n    sector {\n      code\n      name\n    }\n    owner {\n      ministry\n      directionName\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RequestAccess($serviceId: ID!) {\n  requestAccess(serviceId: $serviceId) {\n    id\n    kind\n    status\n    createdAt\n    service {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation RequestAccess($serviceId: ID!) {\n  requestAccess(serviceId: $serviceId) {\n    id\n    kind\n    status\n    createdAt\n    service {\n      id\n      name\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;