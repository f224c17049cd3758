import { randomUUID } from 'node:crypto';
import { EntitySchema } from '@mikro-orm/core';
import { EventType, recordEvent, ServiceRole, type PeriodicJob } from '@pgamr/kit';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { quebecToday } from '../calendar';
import { PERFORM_SERVICE_ID } from '../perform';
import { FinancialReport } from './financial-report.entity';

/** R18: how many days before 30 June the répondant and the signatory are reminded. */
export const DEADLINE_NOTICE_DAYS = 30;
/** How often the deadlines are looked at: a day's notices go out within this much of midnight. */
const WATCH_EVERY_MS = 60 * 60_000;

export type DeadlineNoticeKind = typeof EventType.ReportDeadlineNear | typeof EventType.ReportDeadlinePassed;

/** A notice raised for a report: kept so that each report gets each notice once, across restarts and replicas. */
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

/**
 * R13, R18 (issue 19): raises, once per report, the notices due on `now` for the reports not yet
 * transmitted, to the body's répondant municipal and PERFORM signatories: one transaction per
 * notice kind, the notice's marker and its event together. Returns how many were raised.
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
          audiences: [
            { kind: 'SERVICE_ROLES', organizationId: report.organizationId, serviceId: PERFORM_SERVICE_ID, roles: [ServiceRole.MunicipalRespondent, ServiceRole.PerformSignatory] },
          ],
          data: { fiscalYear, deadline: `${fiscalYear + 1}-06-30` },
        });
      }
      return due.length;
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
