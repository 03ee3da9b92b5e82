// HTTPS listeners on loopback for the authority and its services on other origins.
import type { RequestListener } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface Tls {
  certPem: string;
  keyPem: string;
}

/**
 * 127.0.0.1 on `port` (0 = ephemeral), and ::1 on the same port when the machine has IPv6 loopback:
 * `localhost` may resolve to ::1 first.
 */
export async function listenLoopback(tls: Tls, port: number, handler: RequestListener): Promise<{ port: number; servers: Server[] }> {
  const servers: Server[] = [track(createServer({ cert: tls.certPem, key: tls.keyPem }, handler))];
  const bound = await listen(servers[0]!, port, '127.0.0.1');
  const v6 = track(createServer({ cert: tls.certPem, key: tls.keyPem }, handler));
  if (await listen(v6, bound, '::1').then(() => true, () => false)) servers.push(v6);
  return { port: bound, servers };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePort((server.address() as AddressInfo).port);
    });
  });
}

// Every TCP socket a listener accepted, from before its TLS handshake. closeAllConnections() only
// knows sockets that finished one (the HTTP layer starts at 'secureConnection'), so a client that
// connects and says nothing would hold close() until the TLS handshake timeout (120 s).
const accepted = new WeakMap<Server, Set<Socket>>();

function track(server: Server): Server {
  const sockets = new Set<Socket>();
  accepted.set(server, sockets);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return server;
}

/** Close now: open connections (keep-alive, mid-request or mid-handshake) are dropped, not waited for. */
export function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
    for (const socket of accepted.get(server) ?? []) socket.destroy();
  });
}
