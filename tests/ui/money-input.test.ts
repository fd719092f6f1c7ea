// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import MoneyInput from '../../src/ui/components/MoneyInput.vue';
import { formatMoneyDigits, formatMoneyTyping, moneyText } from '../../src/ui/money-typing.js';
import { mountWith } from './helpers.js';

describe('money typed (MoneyInput, money-typing.ts)', () => {
  it('shows es-CO thousands separators as the digits come', () => {
    expect(['', '3', '32', '320', '3200', '32000', '320000', '3200000'].map(formatMoneyDigits)).toEqual([
      '',
      '3',
      '32',
      '320',
      '3.200',
      '32.000',
      '320.000',
      '3.200.000',
    ]);
    expect(formatMoneyDigits('$ 0070.000')).toBe('70.000');
    expect(moneyText(11_000)).toBe('11.000');
    expect(moneyText(0)).toBe('0');
  });

  it('keeps the caret after the digit it followed, separators aside', () => {
    // "3200|" + "0" typed at the end.
    expect(formatMoneyTyping('3.2000', 6)).toEqual({ text: '32.000', caret: 6 });
    // A digit typed in the middle: "32|.000" → "325|.000" reads 325.000 with the caret after the 5.
    expect(formatMoneyTyping('325.000', 3)).toEqual({ text: '325.000', caret: 3 });
    expect(formatMoneyTyping('1325.000', 2)).toEqual({ text: '1.325.000', caret: 3 });
    // Backspace over a separator's neighbour: "32.|000" minus the 2 → "3|.000" → "3.000".
    expect(formatMoneyTyping('3.000', 1)).toEqual({ text: '3.000', caret: 1 });
    // A letter or a paste with symbols reads only the digits.
    expect(formatMoneyTyping('$ 50.000a', 9)).toEqual({ text: '50.000', caret: 6 });
    // Leading zeros go, the caret with them.
    expect(formatMoneyTyping('0050', 2)).toEqual({ text: '50', caret: 0 });
    expect(formatMoneyTyping('', 0)).toEqual({ text: '', caret: 0 });
  });

  it('formats what is typed, and tells the whole pesos it reads', async () => {
    const { wrapper } = mountWith(MoneyInput, {
      props: { modelValue: '', testid: 'amount', label: 'Monto' },
    });
    const input = wrapper.get('[data-testid="amount"]');
    await input.setValue('32000');
    expect((input.element as HTMLInputElement).value).toBe('32.000');
    expect(wrapper.emitted('update:modelValue')?.at(-1)).toEqual(['32.000']);
    expect(wrapper.emitted('amount')?.at(-1)).toEqual([32_000]);
    await input.setValue('');
    expect(wrapper.emitted('amount')?.at(-1)).toEqual([null]);
    // A value given by the program is shown formatted too.
    await wrapper.setProps({ modelValue: '100000' });
    expect((input.element as HTMLInputElement).value).toBe('100.000');
    // Nobody listens for Enter here: it is left to the form or the dialog around the field.
    await input.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('enter')).toBeUndefined();
  });

  it('takes Enter when its owner listens for it (the payment dialog)', async () => {
    let entered = 0;
    const { wrapper } = mountWith(MoneyInput, {
      props: {
        modelValue: '',
        testid: 'amount',
        label: 'Monto',
        onEnter: () => {
          entered += 1;
        },
      },
    });
    await wrapper.get('[data-testid="amount"]').trigger('keydown', { key: 'Enter' });
    expect(entered).toBe(1);
  });
});
