import type { IdentityContext } from '../context';
import { findMunicipalBodies } from '../organization/organization.repository';

export const Query = {
  organization: (_: unknown, { id }: { id: string }, { loaders }: IdentityContext) =>
    loaders.organizationById.load(id),
  municipalBodies: (_: unknown, _args: unknown, { em }: IdentityContext) => findMunicipalBodies(em),
};
