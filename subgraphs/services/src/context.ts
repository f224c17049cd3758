import type { SubgraphContext } from '@pgamr/kit';
import type { ServicesLoaders } from './loaders';

/** Services asks identity's directory and the mandates subgraph about a grantee (R10, R11, R13, R20). */
export type ServicesClients = 'directory' | 'mandates';

export type ServicesContext = SubgraphContext<ServicesLoaders, undefined, ServicesClients>;
