// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import TipField from '../../src/ui/components/comedores/TipField.vue';
import { mountWith } from './helpers.js';

const mountTip = (tipBase?: 'pre-tax' | 'with-tax', modelValue = '') =>
  mountWith(TipField, {
    props: { modelValue, service: 92_593 },
    pinia: {
      initialState: {
        health: { health: tipBase ? { fiscal: { restaurantRegime: 'INC8', tipBase } } : null },
      },
    },
  }).wrapper;

describe('the tip field (TIP2, TIP3)', () => {
  it('[TIP3] says which base the 10 % is taken on: before tax by default, with tax when the store says so', () => {
    const hint = (w: ReturnType<typeof mountTip>) => w.get('.tip-field p.muted').text().replace(/\s/g, ' ');
    expect(hint(mountTip())).toContain('antes de impuestos ($ 92.593), máximo $ 9.259');
    expect(hint(mountTip('pre-tax'))).toContain('antes de impuestos');
    expect(hint(mountTip('with-tax'))).toContain('con impuestos ($ 92.593), máximo $ 9.259');
  });

  it('[TIP2] refuses more than 10 % of the base', () => {
    expect(mountTip(undefined, '9259').find('[data-testid="tip-error"]').exists()).toBe(false);
    expect(mountTip(undefined, '9260').find('[data-testid="tip-error"]').exists()).toBe(true);
  });
});
