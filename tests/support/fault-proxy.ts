import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy on loopback in front of a real dependency (a subgraph, identity, PostgreSQL), so a
 * test can make it fail the way networks and servers do, while the dependency itself keeps
 * running: `refuse()` drops every connection and refuses new ones (a server down), `stall()`
 * accepts and forwards nothing (a server slower than any time limit), `heal()` passes again.
 */
export interface FaultProxy {
  /** `host:port` of the proxy, to put in a URL in place of the dependency's. */
  host: string;
  port: number;
  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string;
  refuse(): void;
  stall(): void;
  heal(): void;
  close(): Promise<void>;
}

type Mode = 'pass' | 'refuse' | 'stall';

export async function startFaultProxy(target: { host: string; port: number } | string): Promise<FaultProxy> {
  const { host: targetHost, port: targetPort } =
    typeof target === 'string' ? { host: new URL(target).hostname, port: Number(new URL(target).port) } : target;
  let mode: Mode = 'pass';
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server: Server = createServer((client) => {
    track(client);
    if (mode === 'refuse') return void client.destroy();
    if (mode === 'stall') return;
    const upstream = new Socket();
    track(upstream);
    upstream.connect(targetPort, targetHost);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dropAll = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    host: '127.0.0.1',
    port,
    rewrite(url) {
      const rewritten = new URL(url);
      rewritten.hostname = '127.0.0.1';
      rewritten.port = String(port);
      return rewritten.toString();
    },
    refuse() {
      mode = 'refuse';
      dropAll();
    },
    stall() {
      mode = 'stall';
      dropAll();
    },
    heal() {
      mode = 'pass';
      dropAll();
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
