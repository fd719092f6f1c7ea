import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 standing for the LAN cable between two terminals: `cut()` drops every
 * connection through it and refuses new ones until `heal()`.
 */
export class LinkProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private isCut = false;
  port = 0;

  constructor(private readonly targetPort: number) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      if (this.isCut) {
        client.destroy();
        return;
      }
      const upstream = connect(this.targetPort, '127.0.0.1');
      this.sockets.add(client);
      this.sockets.add(upstream);
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      client.on('error', drop);
      upstream.on('error', drop);
      client.on('close', drop);
      upstream.on('close', drop);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : port;
    return this.port;
  }

  cut(): void {
    this.isCut = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  heal(): void {
    this.isCut = false;
  }

  get cutNow(): boolean {
    return this.isCut;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => {
      if (!this.server) resolve();
      else
        this.server.close(() => {
          resolve();
        });
    });
  }
}

/** A port that was free a moment ago (good enough on loopback in tests). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
  return port;
}

async function tryListen(port: number): Promise<Server | undefined> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => {
      resolve(undefined);
    });
    server.listen(port, '127.0.0.1', () => {
      resolve(server);
    });
  });
}

/**
 * `count` consecutive free ports (a demo numbers its terminals from a base port): each is bound
 * at once before any is released, so a port one above a free one is not assumed free. Bounded.
 */
export async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const base = await freePort();
    if (base + count > 65_535) continue;
    const held: Server[] = [];
    for (let i = 0; i < count; i += 1) {
      const server = await tryListen(base + i);
      if (!server) break;
      held.push(server);
    }
    await Promise.all(held.map((s) => new Promise((resolve) => s.close(resolve))));
    if (held.length === count) return base;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
