import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { EventType, recordEvent, ServiceRole, stableId, type PeriodicJob } from '@pgamr/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { quebecToday } from '../calendar';
import { PERFORM_SERVICE_ID } from '../perform';
import { FinancialReport } from './financial-report.entity';

/** R18: how many days before 30 June the répondant and the signatory are reminded. */
export const DEADLINE_NOTICE_DAYS = 30;
/** How often the deadlines are looked at: a day's notices go out within this much of midnight. */
const WATCH_EVERY_MS = 60 * 60_000;

export type DeadlineNoticeKind = typeof EventType.ReportDeadlineNear | typeof EventType.ReportDeadlinePassed;

/** A notice raised for a report (or for the bodies without one, noReportNoticeId): kept so that each goes once, across restarts and replicas. */
export class ReportDeadlineNotice {
  reportId!: string;
  kind!: DeadlineNoticeKind;
  raisedAt: Date = new Date();
}

export const ReportDeadlineNoticeSchema = new EntitySchema<ReportDeadlineNotice>({
  class: ReportDeadlineNotice,
  properties: {
    reportId: { type: 'uuid', primary: true },
    kind: { type: 'string', length: 40, primary: true },
    raisedAt: { type: 'datetime' },
  },
});

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/**
 * R18, on Québec's `today`: the fiscal year whose 30 June deadline falls within the next
 * DEADLINE_NOTICE_DAYS days (near), and the fiscal year whose deadline passed last (passed).
 */
export function deadlineNotices(today: string): Array<{ fiscalYear: number; kind: DeadlineNoticeKind }> {
  const year = Number(today.slice(0, 4));
  const deadlineThisYear = `${year}-06-30`;
  const notices: Array<{ fiscalYear: number; kind: DeadlineNoticeKind }> = [];
  const daysLeft = dayNumber(deadlineThisYear) - dayNumber(today);
  if (daysLeft >= 0 && daysLeft <= DEADLINE_NOTICE_DAYS) notices.push({ fiscalYear: year - 1, kind: EventType.ReportDeadlineNear });
  notices.push({ fiscalYear: today > deadlineThisYear ? year - 1 : year - 2, kind: EventType.ReportDeadlinePassed });
  return notices;
}

/** R13, R18: who is reminded of a body's PERFORM report. */
const REMINDED_ROLES: string[] = [ServiceRole.MunicipalRespondent, ServiceRole.PerformSignatory];

/**
 * The `report_deadline_notice` key that marks a fiscal year's notice to the bodies without a
 * report: no report has that id (a name-based UUID of its own namespace, never a report's random
 * one), so the table that keeps each report's notices once keeps this one once too, across
 * restarts and replicas, without a table of its own.
 */
export const noReportNoticeId = (kind: DeadlineNoticeKind, fiscalYear: number) => stableId('report-deadline', `${kind}-${fiscalYear}`);

/**
 * R13, R18 (issue 19): raises, once per report, the notices due on `now` for the reports not yet
 * transmitted, to the body's répondant municipal and PERFORM signatories; and once per fiscal
 * year, the same notice to those of every body that has no report for that year (mandates cannot
 * list the bodies, so the audience is every holder of those roles except the bodies that have
 * one, judged by the notifications subgraph when read). One transaction per notice kind, the
 * notices' markers and their events together. Returns how many were raised.
 */
export async function raiseDueDeadlineNotices(em: EntityManager, now: Date): Promise<number> {
  let raised = 0;
  for (const { fiscalYear, kind } of deadlineNotices(quebecToday(now))) {
    raised += await em.transactional(async (tx) => {
      // Several replicas watch: one raises a kind's notices at a time, the others find them raised.
      const [lock] = await tx.getConnection().execute<Array<{ locked: boolean }>>('select pg_try_advisory_xact_lock(hashtext(?)) as locked', [kind]);
      if (!lock?.locked) return 0;
      const noticed = await tx.find(ReportDeadlineNotice, { kind }, { fields: ['reportId'] });
      const due = await tx.find(FinancialReport, {
        fiscalYear,
        firstTransmittedAt: null,
        ...(noticed.length > 0 ? { id: { $nin: noticed.map((notice) => notice.reportId) } } : {}),
      });
      for (const report of due) {
        tx.create(ReportDeadlineNotice, { reportId: report.id, kind, raisedAt: now });
        recordEvent(tx, {
          id: randomUUID(),
          type: kind,
          source: 'mandates',
          occurredAt: now.toISOString(),
          organizationId: report.organizationId,
          serviceId: PERFORM_SERVICE_ID,
          subject: { typename: 'FinancialReport', id: report.id },
          audiences: [{ kind: 'SERVICE_ROLES', organizationId: report.organizationId, serviceId: PERFORM_SERVICE_ID, roles: REMINDED_ROLES }],
          data: { fiscalYear, deadline: `${fiscalYear + 1}-06-30` },
        });
      }
      const noReportId = noReportNoticeId(kind, fiscalYear);
      if (noticed.some((notice) => notice.reportId === noReportId)) return due.length;
      // Every body with a report, transmitted or not, is excepted: it got its own notice above
      // (now or on an earlier run) or needs none. A body that opens its report after this is
      // told by its own notice on the next run if it is still not transmitted.
      const withReport = await tx.getConnection().execute<Array<{ organization_id: string }>>(
        'select distinct organization_id from financial_report where fiscal_year = ? order by organization_id',
        [fiscalYear],
      );
      tx.create(ReportDeadlineNotice, { reportId: noReportId, kind, raisedAt: now });
      recordEvent(tx, {
        id: randomUUID(),
        type: kind,
        source: 'mandates',
        occurredAt: now.toISOString(),
        organizationId: null,
        serviceId: PERFORM_SERVICE_ID,
        subject: null,
        audiences: [
          { kind: 'SERVICE_ROLES_EXCEPT', serviceId: PERFORM_SERVICE_ID, roles: REMINDED_ROLES, exceptOrganizationIds: withReport.map((row) => row.organization_id) },
        ],
        data: { fiscalYear, deadline: `${fiscalYear + 1}-06-30` },
      });
      return due.length + 1;
    });
  }
  return raised;
}

/**
 * R18: the deadlines looked at now and every hour. Its whole work is raising events, so it waits
 * for a bus (PeriodicJob.needsEventBus).
 */
export function reportDeadlinesJob(orm: MikroORM): PeriodicJob {
  return { name: 'report deadline notices', everyMs: WATCH_EVERY_MS, needsEventBus: true, run: (now) => raiseDueDeadlineNotices(orm.em.fork(), now) };
}
