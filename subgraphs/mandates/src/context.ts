import type { SubgraphContext } from '@pgamr/kit';
import type { MandatesLoaders } from './loaders';

export type MandatesContext = SubgraphContext<MandatesLoaders>;
