import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { withDatabase } from './databases';
import type { AccessGrant } from './manifest';

export type PreparedGrant = AccessGrant & { requestId: string };

/**
 * The mutation scenario's state in the services database. Each grant the bench measures decides
 * a pending access request (R8: a local manager grants what a user asked for), so the bench
 * files those requests first, straight in the database, and after every run puts them back to
 * pending and deletes the rights the run granted. Only rows the bench created are touched;
 * the audit events of the grants stay (the table is append-only, as it should be).
 */
export class GrantState {
  private constructor(
    private readonly servicesUrl: string,
    readonly grants: PreparedGrant[],
    private readonly since: Date,
    readonly skipped: number,
  ) {}

  static async prepare(servicesUrl: string, candidates: readonly AccessGrant[]): Promise<GrantState> {
    return withDatabase(servicesUrl, async (client) => {
      const targets = [...new Set(candidates.map((grant) => grant.targetUserId))];
      // A target who already works in the service or already asked would make a grant fail or duplicate a right.
      const { rows } = await client.query<{ user_id: string; service_id: string }>(
        `select user_id, service_id from access_right where revoked_at is null and role = 'USER' and user_id = any($1::uuid[])
         union select user_id, service_id from access_request where status = 'PENDING' and user_id = any($1::uuid[])`,
        [targets],
      );
      const taken = new Set(rows.map((row) => `${row.user_id}:${row.service_id}`));
      const grants: PreparedGrant[] = [];
      for (const grant of candidates) {
        const key = `${grant.targetUserId}:${grant.serviceId}`;
        if (taken.has(key)) continue;
        taken.add(key);
        grants.push({ ...grant, requestId: randomUUID() });
      }
      const { rows: now } = await client.query<{ now: Date }>('select now() as now');
      for (let start = 0; start < grants.length; start += 5000) {
        const batch = grants.slice(start, start + 5000);
        await client.query(
          `insert into access_request (id, user_id, organization_id, service_id, kind, status, created_at)
           select unnest($1::uuid[]), unnest($2::uuid[]), unnest($3::uuid[]), unnest($4::uuid[]), 'ACCESS', 'PENDING', now()`,
          [batch.map((g) => g.requestId), batch.map((g) => g.targetUserId), batch.map((g) => g.manager.organizationId), batch.map((g) => g.serviceId)],
        );
      }
      return new GrantState(servicesUrl, grants, now[0]!.now, candidates.length - grants.length);
    });
  }

  /** Undoes every grant made since the bench filed its requests: rights deleted, requests pending again. */
  restore(): Promise<void> {
    return this.retried(false);
  }

  /** Leaves the database as the bench found it, audit events aside. */
  cleanup(): Promise<void> {
    return this.retried(true);
  }

  /** A grant still finishing may hold the rows a moment; PostgreSQL then picks one side of the deadlock. */
  private async retried(deleteRequests: boolean): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await withDatabase(this.servicesUrl, (client) => this.undo(client, deleteRequests));
      } catch (error) {
        if ((error as { code?: string }).code !== '40P01' || attempt === 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private async undo(client: pg.Client, deleteRequests: boolean): Promise<void> {
    const ids = this.grants.map((grant) => grant.requestId);
    await client.query('begin');
    try {
      await client.query(
        `delete from access_right r
          using access_request q
          where q.id = any($1::uuid[]) and r.user_id = q.user_id and r.service_id = q.service_id
            and r.organization_id = q.organization_id and r.role = 'USER' and r.granted_at >= $2`,
        [ids, this.since],
      );
      if (deleteRequests) {
        await client.query('delete from access_request where id = any($1::uuid[])', [ids]);
      } else {
        await client.query(
          `update access_request set status = 'PENDING', reason = null, decided_at = null, decided_by = null
            where id = any($1::uuid[]) and status <> 'PENDING'`,
          [ids],
        );
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  }
}
