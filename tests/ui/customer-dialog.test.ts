// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import CustomerDialog from '../../src/ui/components/CustomerDialog.vue';
import { useCartStore } from '../../src/ui/stores/cart.js';
import { fakeHost, mountWith, settle } from './helpers.js';
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

describe('the buyer looked up in the directory (CustomerDialog)', () => {
  it('[CUS5] [CUS7] typing an ID or a name lists buyers; picking one fills the form; a buyer not uploaded yet says so', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const eventos = {
      idType: 'NIT',
      idNumber: '900123456',
      checkDigit: 8,
      name: 'Eventos Andinos S.A.S.',
      email: 'facturas@eventosandinos.example',
      personType: 'juridica',
      responsibilities: ['O-13'],
      address: { line: 'Carrera 7 # 71-21', municipalityCode: '11001', municipality: 'Bogotá D.C.' },
    };
    const pedro = { idType: 'CC', idNumber: '79111222', name: 'Pedro Pablo Ruiz' };
    const host = fakeHost({
      'GET /api/customers': (call) => ({
        body: {
          customers:
            call.query.get('q') === '9001'
              ? [{ source: 'cloud', customer: eventos }]
              : call.query.get('q') === 'ruiz'
                ? [{ source: 'offline', customer: pedro }]
                : [],
          directory: { version: '2', readAt: '2026-12-01T10:00:00.000Z', count: 4 },
        },
      }),
    });
    const { wrapper } = mountWith(CustomerDialog, {
      pinia: { stubActions: false, initialState: { live: { products: PRODUCTS } } },
    });
    const box = wrapper.get('[data-testid="customer-search"]');
    // One character looks nothing up.
    await box.setValue('9');
    await vi.advanceTimersByTimeAsync(300);
    expect(host.calls).toHaveLength(0);
    await box.setValue('9001');
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    expect(host.calls.map((c) => c.path)).toEqual(['/api/customers']);
    expect(wrapper.get('[data-testid="customer-results"]').text()).toContain('Eventos Andinos S.A.S.');
    expect(wrapper.get('[data-testid="customer-results"]').text()).toContain('NIT 900123456-8');
    // Enter takes the first match and fills the form.
    await box.trigger('keydown', { key: 'Enter' });
    await settle();
    expect((wrapper.get('[data-testid="customer-id-number"]').element as HTMLInputElement).value).toBe(
      '900123456',
    );
    expect((wrapper.get('[data-testid="customer-name"]').element as HTMLInputElement).value).toBe(
      'Eventos Andinos S.A.S.',
    );
    expect(wrapper.find('[data-testid="customer-results"]').exists()).toBe(false);

    // A buyer only on an offline invoice is marked so.
    await box.setValue('ruiz');
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    expect(wrapper.get('[data-testid="customer-result-offline"]').text()).toBe('Nuevo, sin subir');
    // Nobody: the dialog says to type the details.
    await box.setValue('zzz');
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    expect(wrapper.get('[data-testid="customer-no-results"]').text()).toContain('No está en el directorio');

    // Saving the picked buyer keeps every e-invoice detail, the municipality's name included.
    await box.setValue('9001');
    await vi.advanceTimersByTimeAsync(300);
    await settle();
    await wrapper.get('[data-testid="customer-result-900123456"]').trigger('click');
    await wrapper.get('[data-testid="customer-save"]').trigger('click');
    await settle();
    expect(useCartStore().customer).toEqual(eventos);
    wrapper.unmount();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });
});
