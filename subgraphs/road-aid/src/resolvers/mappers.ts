// What this subgraph's resolvers receive as a type's parent, and must return for it: each
// `<Type>Mapper` here replaces the SDL's shape of <Type> in src/generated/resolvers-types.ts
// (`npm run codegen`, scripts/codegen/resolver-types.ts).
import type { Connection } from '@pgamr/kit';
import type { RoadAidApplication } from '../road-aid-application/road-aid-application.entity';

/** Identity owns the organization: here, only its key. */
export type OrganizationMapper = { id: string };
export type RoadAidApplicationMapper = RoadAidApplication;
export type RoadAidApplicationConnectionMapper = Connection<RoadAidApplication>;
