import {
  isUuid,
  MAX_SESSIONS_PER_STATUS_CALL,
  SESSION_STATUS_PATH,
  type FindLiveSessions,
  type SessionKey,
  type SessionStatusAnswer,
} from '@pgamr/kit';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import { UserStatus } from '../user/user.entity';

/**
 * Which of these sessions are live now, in one indexed statement: open (sign-out, suspension,
 * password reset and refresh-token reuse all revoke, R2, R6), not past their end, opened for
 * that user, and the user still active. Read from the database every time, so that every replica
 * of identity answers the same the moment a revocation commits.
 */
export function liveSessionsIn(orm: MikroORM): FindLiveSessions {
  return async (sessions) => {
    const wanted = sessions.filter((session) => isUuid(session.sessionId) && isUuid(session.userId));
    if (wanted.length === 0) return new Set();
    const knex = orm.em.getKnex();
    const rows: Array<{ id: string; user_id: string }> = await knex('session as s')
      .join('app_user as u', 'u.id', 's.user_id')
      .whereIn(
        's.id',
        wanted.map((session) => session.sessionId),
      )
      .whereNull('s.revoked_at')
      .where('s.expires_at', '>', knex.fn.now())
      .where('u.status', UserStatus.Active)
      .select('s.id', 's.user_id');
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
  app.post<{ Body: unknown }>(SESSION_STATUS_PATH, async (request, reply) => {
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
