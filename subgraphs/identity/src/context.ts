import type { SubgraphContext } from '@pgamr/kit';
import type { IdentityLoaders } from './loaders';

export type IdentityContext = SubgraphContext<IdentityLoaders>;
