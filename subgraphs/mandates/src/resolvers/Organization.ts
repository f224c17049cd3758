import type { MandatesContext } from '../context';

export const Organization = {
  // This subgraph only adds fields to organizations; identity knows whether one exists.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  dossiers: ({ id }: { id: string }, _: unknown, { loaders }: MandatesContext) =>
    loaders.dossiersByOrganization.load(id),
};
