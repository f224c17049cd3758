import type { MandatesContext } from '../context';

export const Query = {
  dossier: (_: unknown, { id }: { id: string }, { loaders }: MandatesContext) => loaders.dossierById.load(id),
};
