// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import CustomerDialog from '../../src/ui/components/CustomerDialog.vue';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { mountWith, settle } from './helpers.js';
import { PRODUCTS } from './fixtures.js';

describe('the buyer (CustomerDialog)', () => {
  it('[CUS3] [CUS4] a NIT typed without its check digit gets it; the e-invoice details go with the buyer', async () => {
    const { wrapper } = mountWith(CustomerDialog, {
      pinia: { stubActions: false, initialState: { live: { products: PRODUCTS } } },
    });
    await wrapper.get('[data-testid="customer-id-type"]').setValue('NIT');
    await wrapper.get('[data-testid="customer-id-number"]').setValue('900123456');
    await wrapper.get('[data-testid="customer-name"]').setValue('Distribuidora Andina S.A.S.');
    await wrapper.get('[data-testid="customer-person-type"]').setValue('juridica');
    await wrapper.get('[data-testid="customer-resp-O-13"]').setValue(true);
    await wrapper.get('[data-testid="customer-address"]').setValue('Carrera 7 # 71-21');
    await wrapper.get('[data-testid="customer-municipality"]').setValue('1100');
    await wrapper.get('[data-testid="customer-save"]').trigger('click');
    await settle();
    // A 4-digit municipality is refused: DIVIPOLA codes have 5.
    expect(wrapper.find('[data-testid="error-message"]').exists()).toBe(true);
    await wrapper.get('[data-testid="customer-municipality"]').setValue('11001');
    await wrapper.get('[data-testid="customer-save"]').trigger('click');
    await settle();
    expect(useCartStore().customer).toMatchObject({
      idType: 'NIT',
      idNumber: '900123456',
      checkDigit: 8,
      personType: 'juridica',
      responsibilities: ['O-13'],
      address: { line: 'Carrera 7 # 71-21', municipalityCode: '11001' },
    });
    wrapper.unmount();
  });
});
