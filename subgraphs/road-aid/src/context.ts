import type { SubgraphContext } from '@pgamr/kit';
import type { RoadAidLoaders } from './loaders';

export type RoadAidContext = SubgraphContext<RoadAidLoaders>;
