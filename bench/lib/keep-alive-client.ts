import { Agent, request } from 'node:http';

export interface Answer<T> {
  readonly status: number;
  readonly body: T;
}

/**
 * A terminal's JSON API over kept-alive loopback connections, with no per-call timers beyond the
 * socket timeout: cheap enough for a benchmark to poll a terminal every few milliseconds without
 * the polling becoming the thing measured.
 */
export class KeepAliveClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 8 });
  token: string | undefined;

  constructor(readonly port: number) {}

  call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 30_000,
  ): Promise<Answer<T>> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const headers: Record<string, string | number> = {};
      if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
      if (payload) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = payload.length;
      }
      const req = request(
        { host: '127.0.0.1', port: this.port, method, path, headers, agent: this.agent, timeout: timeoutMs },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              const json = (res.headers['content-type'] ?? '').includes('json') && text !== '';
              resolve({ status: res.statusCode ?? 0, body: (json ? JSON.parse(text) : text) as T });
            } catch (error) {
              reject(error instanceof Error ? error : new Error(String(error)));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  async login(pin: string): Promise<void> {
    const res = await this.call<{ token?: string }>('POST', '/api/session', { pin });
    if (res.status !== 200 || res.body.token === undefined)
      throw new Error(`login on port ${this.port} answered ${res.status}: ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
  }

  close(): void {
    this.agent.destroy();
  }
}
