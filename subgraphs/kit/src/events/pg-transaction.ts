import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * Runs `work` in a transaction on a connection of `pool`. A connection that fails while checked
 * out (killed, cut) emits an error that, unheard, would end the process: it is heard here, and
 * the connection is destroyed rather than given back to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, logger: Logger, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  const onError = (error: Error) => {
    broken = true;
    logger.warn({ err: error }, 'database connection lost during a transaction');
  };
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    broken = true;
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
