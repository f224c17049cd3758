// What this subgraph's resolvers receive as a type's parent, and must return for it: each
// `<Type>Mapper` here replaces the SDL's shape of <Type> in src/generated/resolvers-types.ts
// (`npm run codegen`, scripts/codegen/resolver-types.ts).
import type { AuditEvent, Connection } from '@pgamr/kit';
import type { Organization } from '../organization/organization.entity';
import type { PersonInAuthority } from '../repertoire/person-in-authority.entity';
import type { User } from '../user/user.entity';
import type { UserStatistics, UserStatisticsGroup } from '../user/user-statistics';

export { ClicSequrRegistrationStatus, OrganizationKind } from '../organization/organization.entity';
export { AuthorityRole } from '../repertoire/person-in-authority.entity';
export { UserStatus } from '../user/user.entity';

export type AuditEventMapper = AuditEvent;
export type AuditEventConnectionMapper = Connection<AuditEvent>;
export type OrganizationMapper = Organization;
export type OrganizationConnectionMapper = Connection<Organization>;
export type PersonInAuthorityMapper = PersonInAuthority;
export type UserMapper = User;
export type UserConnectionMapper = Connection<User>;
export type UserStatisticsMapper = UserStatistics;
export type UserStatisticsGroupMapper = UserStatisticsGroup;
