// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../../src/contract/host-api.js';
import AppBanner from '../../src/ui/components/AppBanner.vue';
import { useLeaveStore } from '../../src/ui/stores/leave.js';
import { mountWith } from './helpers.js';
import { CALM_HEALTH, CALM_QUARANTINE } from './health-fixture.js';

function health(overrides: Partial<HealthAnswer> = {}): HealthAnswer {
  return {
    ...CALM_HEALTH,
    status: 'ok',
    storeId: 'demo',
    storeName: 'La Esquina',
    terminalId: 'caja-1',
    terminalName: 'Caja 1',
    peers: [],
    peersConnected: 2,
    terminalsInStore: 3,
    catalog: { version: '1', readAt: '2026-11-28T08:00:00-05:00', ageHours: 3.4, products: 224 },
    numbering: {
      prefix: 'C1',
      from: 1,
      to: 20_000,
      lastReserved: 41,
      used: 41,
      remaining: 19_959,
      usedPercent: 0.2,
      validUntil: '2028-01-15',
      daysLeft: 413,
      nearExhaustion: false,
      nearExpiry: false,
      exhausted: false,
      expired: false,
      resolutionLeft: 0,
    },
    shift: null,
    invoices: { total: 41, pendingUpload: 40, voidsPendingUpload: 2, unusedNumbersPendingUpload: 0 },
    quarantined: CALM_QUARANTINE,
    warnings: [],
    ...overrides,
  };
}

function mountBanner(h: HealthAnswer) {
  return mountWith(AppBanner, {
    pinia: {
      initialState: {
        health: { health: h },
        session: { user: { id: 'ana', name: 'Ana', role: 'cashier' }, token: 't' },
      },
    },
  });
}

const item = (w: ReturnType<typeof mountBanner>['wrapper'], id: string) => w.get(`[data-testid="${id}"]`);

describe('the contingency banner', () => {
  it('says MODO CONTINGENCIA, the terminal, peers of the other terminals, pending, range and user', () => {
    const { wrapper } = mountBanner(health());
    expect(item(wrapper, 'banner').text()).toContain('MODO CONTINGENCIA');
    expect(item(wrapper, 'banner-terminal').text()).toBe('Caja 1');
    expect(item(wrapper, 'banner-peers').text()).toBe('Red: 2 de 2 cajas');
    expect(item(wrapper, 'banner-peers').classes()).not.toContain('warn');
    expect(item(wrapper, 'banner-catalog-age').text()).toBe('Catálogo: hace 3 h');
    expect(item(wrapper, 'banner-catalog-age').classes()).not.toContain('warn');
    // Before the live documents are in, the host's count: 40 invoices + 2 voids.
    expect(item(wrapper, 'banner-pending').text()).toBe('Por subir: 42');
    expect(item(wrapper, 'banner-range').text()).toBe('Numeración C1: 0,2 %');
    expect(item(wrapper, 'banner-range').classes()).not.toContain('warn');
    expect(item(wrapper, 'banner-user').text()).toContain('Ana');
  });

  it('warns when a peer is missing and when the catalog is older than 24 h', () => {
    const { wrapper } = mountBanner(
      health({ peersConnected: 1, catalog: { version: '1', readAt: null, ageHours: 30.2, products: 224 } }),
    );
    expect(item(wrapper, 'banner-peers').classes()).toContain('warn');
    expect(item(wrapper, 'banner-catalog-age').classes()).toContain('warn');
    expect(item(wrapper, 'banner-catalog-age').text()).toBe('Catálogo viejo: 30 h');
  });

  it('says a catalog read within the hour is under 1 h old, not “0 h”', () => {
    const { wrapper } = mountBanner(
      health({
        catalog: { version: '1', readAt: '2026-11-28T08:00:00-05:00', ageHours: 0.2, products: 224 },
      }),
    );
    expect(item(wrapper, 'banner-catalog-age').text()).toBe('Catálogo: hace menos de 1 h');
  });

  it('warns at 90 % of the numbering range and at 7 days of validity', () => {
    const near = health();
    const exhausted = mountBanner({
      ...near,
      numbering: { ...near.numbering, usedPercent: 92.5, remaining: 1500, nearExhaustion: true },
    }).wrapper;
    expect(item(exhausted, 'banner-range').classes()).toContain('warn');
    expect(item(exhausted, 'banner-range').text()).toContain('92,5 %');
    expect(item(exhausted, 'banner-range').text()).toContain(
      'quedan 1.500 números: pida una nueva resolución',
    );
    const expiring = mountBanner({
      ...near,
      numbering: { ...near.numbering, daysLeft: 5, nearExpiry: true },
    }).wrapper;
    expect(item(expiring, 'banner-range').classes()).toContain('warn');
    expect(item(expiring, 'banner-range').text()).toContain('vence en 5 días');
    const expired = mountBanner({
      ...near,
      numbering: { ...near.numbering, daysLeft: -2, nearExpiry: true, expired: true },
    }).wrapper;
    expect(item(expired, 'banner-range').text()).toContain(
      'resolución vencida: pida una nueva y vuelva a provisionar la caja',
    );
  });

  it('[RNG4] says the next resolution is ready when one is held, and which one is in use after a switch', () => {
    const near = health();
    const next = {
      prefix: 'C1',
      from: 20_001,
      to: 40_000,
      resolutionNumber: '18764000007777',
      resolutionDate: '2026-11-30',
      validFrom: '2026-11-30',
      validUntil: '2028-11-30',
    };
    const held = mountBanner({
      ...near,
      numbering: { ...near.numbering, usedPercent: 92.5, remaining: 1500, nearExhaustion: true },
      nextRange: next,
    }).wrapper;
    expect(item(held, 'banner-range').text()).toContain(
      'la siguiente resolución (C120001…) está lista: la caja la usará sola',
    );
    const switched = mountBanner({
      ...near,
      nextRange: null,
      rangeSwitch: { at: '2026-12-02T10:00:00-05:00', from: { ...next, from: 1, to: 20_000 }, to: next },
    }).wrapper;
    expect(item(switched, 'banner-range').text()).toContain('nueva resolución en uso (18764000007777)');
  });

  it('[RNG5] asks to read the catalog when the position ends and the resolution goes on, and says the next position is in use', () => {
    const near = health();
    const demo = {
      prefix: 'C1',
      from: 1,
      to: 20_000,
      resolutionNumber: '18764000001234',
      resolutionDate: '2026-11-30',
      validFrom: '2026-11-30',
      validUntil: '2028-11-30',
    };
    const ending = mountBanner({
      ...near,
      numbering: {
        ...near.numbering,
        from: 11,
        to: 20,
        remaining: 1,
        nearExhaustion: true,
        resolutionLeft: 19_980,
      },
      nextRange: null,
    }).wrapper;
    expect(item(ending, 'banner-range').text()).toContain(
      'queda 1 número en esta caja: conéctela a internet y pulse «Leer catálogo» para tomar los siguientes',
    );
    const held = mountBanner({
      ...near,
      numbering: {
        ...near.numbering,
        from: 11,
        to: 20,
        remaining: 1,
        nearExhaustion: true,
        resolutionLeft: 19_980,
      },
      nextRange: demo,
      nextPosition: { from: 21, to: 30 },
    }).wrapper;
    expect(item(held, 'banner-range').text()).toContain(
      'los siguientes números (C121…) están listos: la caja los usará sola',
    );
    const switched = mountBanner({
      ...near,
      numbering: { ...near.numbering, from: 21, to: 30 },
      nextRange: null,
      rangeSwitch: { at: '2026-12-02T10:00:00-05:00', from: demo, to: demo },
    }).wrapper;
    expect(item(switched, 'banner-range').text()).toContain(
      'numeración desde C121 en uso (misma resolución)',
    );
  });

  it('[EPI2] [EPI3] shows the open episode, then counts down to the DIAN deadline, escalating at 24 h and at 40 h', () => {
    const base = {
      episodeId: 'EP-20261202T150000-caja-1',
      startedAt: '2026-12-02T10:00:00-05:00',
    };
    const open = mountBanner(
      health({
        contingency: { ...base, state: 'open', endedAt: null, deadline: null, hoursLeft: null, level: null },
      }),
    ).wrapper;
    expect(item(open, 'banner-contingency').text()).toBe('Contingencia desde las 10:00');
    const ended = { ...base, state: 'to-transmit' as const, endedAt: '2026-12-02T17:00:00.000Z' };
    const deadline = '2026-12-04T17:00:00.000Z';
    const countdown = (hoursLeft: number, level: 'info' | 'warning' | 'critical' | 'overdue') =>
      item(
        mountBanner(health({ contingency: { ...ended, deadline, hoursLeft, level } })).wrapper,
        'banner-contingency',
      );
    expect(countdown(47, 'info').text()).toBe('Faltan 47 h para transmitir a la DIAN');
    expect(countdown(47, 'info').classes()).not.toContain('warn');
    expect(countdown(23, 'warning').classes()).toContain('warn');
    expect(countdown(23, 'warning').classes()).not.toContain('critical');
    expect(countdown(7, 'critical').classes()).toContain('critical');
    expect(countdown(7, 'critical').attributes('role')).toBe('alert');
    expect(countdown(-3, 'overdue').text()).toBe(
      'Plazo de la DIAN vencido hace 3 h: suba la venta offline ya',
    );
    // Everything uploaded, or no episode: nothing to say.
    const uploaded = mountBanner(
      health({ contingency: { ...ended, state: 'uploaded', deadline, hoursLeft: 40, level: null } }),
    ).wrapper;
    expect(uploaded.find('[data-testid="banner-contingency"]').exists()).toBe(false);
    expect(mountBanner(health()).wrapper.find('[data-testid="banner-contingency"]').exists()).toBe(false);
  });

  it('logs out with its button (asking first when a sale is in progress: the leave store)', async () => {
    const { wrapper } = mountBanner(health());
    await item(wrapper, 'logout').trigger('click');
    expect(useLeaveStore().request).toHaveBeenCalledTimes(1);
  });
});
