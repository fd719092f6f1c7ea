import { createTestingPinia, type TestingOptions } from '@pinia/testing';
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { vi } from 'vitest';
import type { Component } from 'vue';
import { createAppI18n } from '../../src/ui/i18n.js';

/** Mount a component with the app's i18n (es-CO) and a testing pinia. */
export function mountWith<C extends Component>(
  component: C,
  options: { props?: Record<string, unknown>; pinia?: TestingOptions; attachTo?: HTMLElement } = {},
) {
  const pinia = createTestingPinia({ createSpy: vi.fn, ...options.pinia });
  const mountOptions = {
    props: options.props ?? {},
    global: { plugins: [pinia, createAppI18n()] },
    ...(options.attachTo ? { attachTo: options.attachTo } : {}),
  } as unknown as ComponentMountingOptions<C>;
  return { wrapper: mount(component, mountOptions), pinia };
}

export interface FakeCall {
  readonly method: string;
  readonly path: string;
  /** The query string's parameters. */
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

type Answer =
  | { status?: number; body?: unknown; text?: string }
  | ((call: FakeCall) => { status?: number; body?: unknown; text?: string });

/** PIN4 as the demo's users make it: Marta (9999) is the manager, Ana and Luis are cashiers. */
const elevateAsDemo: Answer = (call) => {
  const pin = (call.body as { pin?: string } | undefined)?.pin;
  if (pin === '9999') return { body: { user: { id: 'marta', name: 'Marta', role: 'manager' } } };
  if (pin === '1234' || pin === '5678')
    return { status: 403, body: { error: 'not-a-manager', message: 'not a manager' } };
  return { status: 401, body: { error: 'invalid-pin', message: 'wrong PIN', attemptsLeft: 4 } };
};

/**
 * A fake of the host's API for store tests: `routes["POST /api/sales"]` answers that call (a
 * function sees the call). Unknown routes answer 404 not-found, but the manager-PIN check
 * (`POST /api/session/elevate`) answers as the demo's users unless a test says otherwise. Every
 * call is recorded: the PIN checks in `elevations`, the rest in `calls`.
 */
export function fakeHost(routes: Record<string, Answer | Answer[]>) {
  const calls: FakeCall[] = [];
  const elevations: FakeCall[] = [];
  const queues = new Map<string, Answer | Answer[]>(
    Object.entries({ 'POST /api/session/elevate': elevateAsDemo, ...routes }).map(([k, v]) => [
      k,
      Array.isArray(v) ? [...v] : v,
    ]),
  );
  const fetchFn = vi.fn(async (input: string | URL | Request, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw, 'http://127.0.0.1:5301');
    const method = init?.method ?? 'GET';
    const headers = Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>));
    const call: FakeCall = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      headers,
    };
    (call.path === '/api/session/elevate' ? elevations : calls).push(call);
    await Promise.resolve();
    const route = queues.get(`${method} ${url.pathname}`);
    let answer: Answer | undefined;
    if (Array.isArray(route)) answer = route.length > 1 ? route.shift() : route[0];
    else answer = route;
    const resolved = typeof answer === 'function' ? answer(call) : answer;
    if (!resolved)
      return new Response(JSON.stringify({ error: 'not-found', message: 'no route' }), { status: 404 });
    const status = resolved.status ?? 200;
    if (status === 204) return new Response(null, { status });
    return new Response(resolved.text ?? JSON.stringify(resolved.body ?? {}), { status });
  });
  vi.stubGlobal('fetch', fetchFn);
  return { calls, elevations, fetch: fetchFn };
}

/** Let pending promises and Vue updates run. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i += 1) await new Promise((resolve) => setTimeout(resolve, 0));
}
