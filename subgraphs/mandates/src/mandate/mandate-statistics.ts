import { groupedFigures, integerOf, quebecDay, statisticsIdFilter, statisticsValueFilter, textOf, type StatisticsDimension, type StatisticsRow } from '@pgamr/kit';
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOSED_STATUSES } from '../dossier/dossier.entity';
import { Mandate, type MandateLevel } from './mandate.entity';
import { MandateStatus } from './mandate-status';

/** What `mandateStatistics` groups by (the schema's MandateStatisticsDimension). */
export type MandateDimension = 'FIRM' | 'LEVEL' | 'STATUS' | 'SERVICE' | 'ORGANIZATION';

export interface MandateStatisticsFilter {
  firmIds?: readonly string[] | null;
  serviceIds?: readonly string[] | null;
  organizationIds?: readonly string[] | null;
  levels?: readonly MandateLevel[] | null;
  statuses?: readonly MandateStatus[] | null;
}

/** One group of mandates, its dimensions (null when not asked for) and its figures. */
export interface MandateStatisticsGroup {
  firmId: string | null;
  level: MandateLevel | null;
  status: MandateStatus | null;
  serviceId: string | null;
  organizationId: string | null;
  mandateCount: number;
  mandataireCount: number;
  dossierCount: number;
}

export interface MandateStatistics {
  groups: MandateStatisticsGroup[];
  total: MandateStatisticsGroup;
}

const DIMENSIONS: Record<MandateDimension, StatisticsDimension> = {
  FIRM: { sql: 'm.firm_organization_id', field: 'firmId' },
  LEVEL: { sql: 'm.level', field: 'level' },
  STATUS: { sql: 's.status', field: 'status' },
  SERVICE: { sql: 'm.service_id', field: 'serviceId' },
  ORGANIZATION: { sql: 'm.organization_id', field: 'organizationId' },
};

const closed = CLOSED_STATUSES.map((status) => `'${status}'`).join(', ');

/**
 * R16, as mandate-status.ts's mandateStatus says it, in SQL, on the request's day in Québec (`?`):
 * revoked, else expired after its end date, else ended when every dossier it names is closed (a
 * PERFORM mandate names none and never ends so), else scheduled before its start, else active.
 */
const STATUS = `cross join lateral (
  select count(*)::int as named, count(*) filter (where d.status not in (${closed}))::int as open
    from mandate_dossier md join dossier d on d.id = md.dossier_id
   where md.mandate_id = m.id
) o
cross join lateral (
  select case
    when m.revoked_at is not null then '${MandateStatus.Revoked}'
    when m.ends_on is not null and m.ends_on < ?::date then '${MandateStatus.Expired}'
    when o.named > 0 and o.open = 0 then '${MandateStatus.Ended}'
    when m.starts_on > ?::date then '${MandateStatus.Scheduled}'
    else '${MandateStatus.Active}'
  end as status
) s`;

const FIGURES = ['count(*)::int as "mandateCount"', 'count(distinct m.mandataire_id)::int as "mandataireCount"', 'coalesce(sum(o.named), 0)::int as "dossierCount"'].join(', ');

/** The figures of the mandates `visible` lets the reader count (policy.ts), grouped by `dimensions`: one statement. */
export async function mandateStatistics(
  em: EntityManager,
  visible: FilterQuery<Mandate>,
  dimensions: readonly MandateDimension[],
  filter: MandateStatisticsFilter,
  now: Date,
): Promise<MandateStatistics> {
  const firmIds = statisticsIdFilter(filter.firmIds, 'filter.firmIds');
  const serviceIds = statisticsIdFilter(filter.serviceIds, 'filter.serviceIds');
  const organizationIds = statisticsIdFilter(filter.organizationIds, 'filter.organizationIds');
  const levels = statisticsValueFilter(filter.levels, 'filter.levels');
  const statuses = statisticsValueFilter(filter.statuses, 'filter.statuses');
  const where: FilterQuery<Mandate> = {
    $and: [
      visible,
      {
        ...(firmIds ? { firmOrganizationId: { $in: firmIds } } : {}),
        ...(serviceIds ? { serviceId: { $in: serviceIds } } : {}),
        ...(organizationIds ? { organizationId: { $in: organizationIds } } : {}),
        ...(levels ? { level: { $in: levels } } : {}),
      },
    ],
  };
  const today = quebecDay(now);
  const scoped = em.createQueryBuilder(Mandate, 'e').select('*').where(where);
  const source = em.getKnex().from(scoped.as('m')).joinRaw(STATUS, [today, today]);
  if (statuses) source.whereIn('s.status', statuses);
  const { groups, total } = await groupedFigures(em, source, dimensions.map((dimension) => DIMENSIONS[dimension]), FIGURES, []);
  return { groups: groups.map(groupOf), total: groupOf(total) };
}

function groupOf(row: StatisticsRow): MandateStatisticsGroup {
  return {
    firmId: textOf(row.firmId),
    level: textOf(row.level) as MandateLevel | null,
    status: textOf(row.status) as MandateStatus | null,
    serviceId: textOf(row.serviceId),
    organizationId: textOf(row.organizationId),
    mandateCount: integerOf(row.mandateCount) ?? 0,
    mandataireCount: integerOf(row.mandataireCount) ?? 0,
    dossierCount: integerOf(row.dossierCount) ?? 0,
  };
}
