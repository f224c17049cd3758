import type { SubgraphContext } from '@pgamr/kit';
import type { ServicesLoaders } from './loaders';

export type ServicesContext = SubgraphContext<ServicesLoaders>;
