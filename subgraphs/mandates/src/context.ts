import type { SubgraphContext } from '@pgamr/kit';
import type { MandatesLoaders } from './loaders';

/** Mandates asks identity's directory who a mandataire is (R15). */
export type MandatesClients = 'directory';

export type MandatesContext = SubgraphContext<MandatesLoaders, undefined, MandatesClients>;
