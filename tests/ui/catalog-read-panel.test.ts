// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import CatalogReadPanel from '../../src/ui/components/CatalogReadPanel.vue';
import type { CatalogReadAnswer } from '../../src/contract/host-api.js';
import { useCatalogReadStore } from '../../src/ui/stores/catalog-read.js';
import { useHealthStore } from '../../src/ui/stores/health.js';
import { PRODUCTS } from './fixtures.js';
import { mountWith } from './helpers.js';
import { healthAnswer } from './upload-fixtures.js';

const answer = (overrides: Partial<CatalogReadAnswer> = {}): CatalogReadAnswer => ({
  version: '7',
  notModified: false,
  added: ['BEB-001'],
  removed: ['OLD-1'],
  priceChanges: [],
  changed: [],
  customers: null,
  nextRange: null,
  nextPosition: null,
  ...overrides,
});

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function mountPanel(result: CatalogReadAnswer | null, error: string | null = null) {
  return mountWith(CatalogReadPanel, {
    pinia: {
      initialState: {
        live: { products: PRODUCTS },
        health: { health: healthAnswer() },
        catalogRead: {
          result,
          error,
          namesBefore: new Map([['OLD-1', 'Galletas de antes 200 g']]),
        },
      },
    },
  });
}

/** Issue 16 §8: what "Leer catálogo" changed, in words a manager reads. */
describe('the catalog reading’s result', () => {
  it('counts in the singular and the plural, and lists new and retired products by name', () => {
    const { wrapper } = mountPanel(answer());
    const text = squash(wrapper.get('[data-testid="catalog-read-result"]').text());
    expect(text).toContain(
      'Versión 7: 1 producto nuevo, 1 retirado, ningún cambio de precio, ningún otro cambio.',
    );
    expect(text).toContain('Nuevos: Gaseosa cola 400 ml');
    expect(text).toContain('Retirados: Galletas de antes 200 g');
    expect(text).not.toContain('BEB-001');
  });

  it('forgets a "no connection" refusal once the cloud answers again: the upload card says the cloud’s state', async () => {
    const { wrapper } = mountPanel(null, 'cloud-unreachable');
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(true);
    useHealthStore().health = healthAnswer({
      cloud: { reachable: false, checkedAt: '2026-11-28T19:09:00Z', reason: 'cloud-unreachable' },
    });
    await nextTick();
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(true);
    useHealthStore().health = healthAnswer();
    await nextTick();
    expect(useCatalogReadStore().error).toBeNull();
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(false);
  });
});
