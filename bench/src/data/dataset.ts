import type { DataSet } from './model';
import { generateDossiers } from './dossiers';
import { generateMandates } from './mandates';
import { Namer } from './names';
import { generateOrganizations } from './organizations';
import { Random } from './random';
import { generateReports } from './reports';
import { generateRights, type OrganizationStaff } from './rights';

/** The whole data set in memory: a pure function of (seed, scale), no database involved. */
export function buildDataSet(seed: number, scale: number): DataSet & { staff: ReadonlyMap<string, OrganizationStaff> } {
  const random = new Random(seed);
  const identity = generateOrganizations(random.fork('organizations'), new Namer(random.fork('names')), scale);
  const services = generateRights(random.fork('rights'), identity.organizations);
  const dossiers = generateDossiers(random.fork('dossiers'), new Namer(random.fork('dossier-names')), identity.organizations, services.staff, scale);
  const mandates = generateMandates(random.fork('mandates'), identity.organizations, services.staff, dossiers.dossiers, scale);
  const reports = generateReports(random.fork('reports'), identity.organizations, services.staff);
  return {
    seed,
    scale,
    organizations: identity.organizations,
    users: identity.users,
    personsInAuthority: identity.personsInAuthority,
    identityAudit: identity.identityAudit,
    accessRights: services.rights,
    accessRequests: services.requests,
    servicesAudit: services.audit,
    dossiers: dossiers.dossiers,
    statusChanges: dossiers.changes,
    mandates: mandates.mandates,
    financialReports: reports.reports,
    reportVersions: reports.versions,
    mandatesAudit: [...dossiers.audit, ...mandates.audit, ...reports.audit],
    staff: services.staff,
  };
}
