import { Dossier } from './Dossier';
import { Organization } from './Organization';
import { Query } from './Query';

export const resolvers = { Query, Dossier, Organization };
