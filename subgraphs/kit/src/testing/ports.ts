import { randomInt } from 'node:crypto';
import { connect, createServer } from 'node:net';

/**
 * Ports below Linux's ephemeral range (32768–60999 by default): a port chosen here to be listened
 * on later is not taken meanwhile by an outgoing connection (to PostgreSQL, to a subgraph), which
 * the OS gives an ephemeral port. Only another test choosing the same port at random could, rarely.
 */
const RESERVED_RANGE = { first: 20_000, last: 32_767 };

/** Whether a loopback port can be listened on right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A loopback port free right now, for a server started later (in this process or another). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = RESERVED_RANGE.first + randomInt(RESERVED_RANGE.last - RESERVED_RANGE.first + 1);
    if (await canListen(port)) return port;
  }
  throw new Error('no free loopback port below the ephemeral range');
}

/** Whether something accepts connections on a loopback port. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
