import {
  isUuid,
  MAX_SESSIONS_PER_STATUS_CALL,
  SESSION_STATUS_PATH,
  type FindLiveSessions,
  type SessionKey,
  type Clock,
  type SessionStatusAnswer,
} from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { UserStatus } from '../user/user.entity';

/**
 * Which of these sessions are live now (on the subgraph's clock), in one indexed statement: open (sign-out, suspension,
 * password reset and refresh-token reuse all revoke, R2, R6), not past their end, opened for
 * that user, and the user still active. Read from the database every time, so that every replica
 * of identity answers the same the moment a revocation commits.
 */
export function liveSessionsIn(orm: MikroORM, clock: Clock): FindLiveSessions {
  const knex = orm.em.getKnex();
  return async (sessions) => {
    const wanted = sessions.filter((session) => isUuid(session.sessionId) && isUuid(session.userId));
    if (wanted.length === 0) return new Set();
    // Asked on every request at every hop: plain SQL with one array parameter, no query building.
    const { rows } = await knex.raw<{ rows: Array<{ id: string; user_id: string }> }>(
      `select s.id, s.user_id from "session" s join "app_user" u on u.id = s.user_id
        where s.id = any(?::uuid[]) and s.revoked_at is null and s.expires_at > ? and u.status = ?`,
      [wanted.map((session) => session.sessionId), clock.now(), UserStatus.Active],
    );
    const userOf = new Map(rows.map((row) => [row.id, row.user_id]));
    return new Set(wanted.filter((session) => userOf.get(session.sessionId) === session.userId).map((session) => session.sessionId));
  };
}

/**
 * `POST /sessions/v1/status`: the gateway and every subgraph ask, on each request, whether the
 * sessions of the tokens they received are still live. The answer names only session ids the
 * caller sent; a session id is a random UUID found only inside a signed access token, so it
 * tells nothing to anyone who does not hold that token. A database failure answers 503, which
 * the asking hop turns into a retryable refusal, never into "session ended".
 */
export function registerSessionStatus(app: FastifyInstance, findLive: FindLiveSessions): void {
  // Several calls per request of the portal: logged only when something goes wrong.
  app.post<{ Body: unknown }>(SESSION_STATUS_PATH, { logLevel: 'warn' }, async (request, reply) => {
    const sessions = sessionKeysOf(request.body);
    if (!sessions) return reply.code(400).send({ error: 'BAD_REQUEST' });
    reply.header('cache-control', 'no-store');
    let live: ReadonlySet<string>;
    try {
      live = await findLive(sessions);
    } catch (error) {
      request.log.error({ err: error }, 'session state unreadable');
      return reply.code(503).send({ error: 'SERVICE_UNAVAILABLE' });
    }
    const body: SessionStatusAnswer = { live: [...live] };
    return body;
  });
}

function sessionKeysOf(body: unknown): SessionKey[] | undefined {
  if (typeof body !== 'object' || body === null || !('sessions' in body) || !Array.isArray(body.sessions)) return undefined;
  const sessions: unknown[] = body.sessions;
  if (sessions.length > MAX_SESSIONS_PER_STATUS_CALL) return undefined;
  const keys: SessionKey[] = [];
  for (const session of sessions) {
    if (typeof session !== 'object' || session === null) return undefined;
    const { sessionId, userId } = session as Record<string, unknown>;
    if (typeof sessionId !== 'string' || typeof userId !== 'string') return undefined;
    keys.push({ sessionId, userId });
  }
  return keys;
}
