/** A small client of a terminal's JSON API, as the UI or an integration would use it. */
export interface ApiAnswer<T = Record<string, unknown>> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

export class TerminalApi {
  token: string | undefined;

  constructor(public url: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer<T>> {
    const h: Record<string, string> = { ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    if (body !== undefined) h['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers: h,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text)
      parsed = JSON.parse(text) as unknown;
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  async login(pin: string): Promise<this> {
    const res = await this.call<{ token?: string }>('POST', '/api/session', { pin });
    if (res.status !== 200 || !res.body.token)
      throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.token = res.body.token;
    return this;
  }
}
