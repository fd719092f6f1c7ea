import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  completeCustomer,
  FINAL_CONSUMER,
  ID_TYPE_IDS,
  ID_TYPES,
  validateCustomer,
} from '../../../src/domain/customer.js';
import { money } from '../../../src/domain/money.js';
import { formatNit, isValidNit, nitCheckDigit } from '../../../src/domain/nit.js';
import { PAYMENT_METHOD_IDS, PAYMENT_METHODS, settlePayments } from '../../../src/domain/payment.js';

describe('payments', () => {
  it('[PAY1] carries the DIAN codes', () => {
    expect(Object.fromEntries(PAYMENT_METHOD_IDS.map((m) => [m, PAYMENT_METHODS[m].code]))).toEqual({
      cash: '10',
      transfer: '47',
      'credit-card': '48',
      'debit-card': '49',
      other: 'ZZZ',
    });
    expect([...PAYMENT_METHOD_IDS].sort()).toEqual(Object.keys(PAYMENT_METHODS).sort());
    expect(settlePayments(money(100), [{ method: 'bitcoin', amount: 100 }])).toMatchObject({
      reason: 'unknown-payment-method',
    });
  });

  it('[PAY4] cash gives change', () => {
    expect(settlePayments(money(18_300), [{ method: 'cash', amount: 20_000 }])).toEqual({
      ok: true,
      value: { payments: [{ method: 'cash', code: '10', amount: 20_000 }], paid: 20_000, change: 1_700 },
    });
  });

  it('[PAY3] [PAY4] mixed payments: card for part, cash for the rest with change', () => {
    const r = settlePayments(money(50_000), [
      { method: 'debit-card', amount: 30_000 },
      { method: 'cash', amount: 25_000 },
    ]);
    expect(r).toMatchObject({ ok: true, value: { paid: 55_000, change: 5_000 } });
  });

  it('[PAY3] refuses payments that do not cover the total', () => {
    expect(settlePayments(money(50_000), [{ method: 'cash', amount: 49_999 }])).toMatchObject({
      reason: 'payment-insufficient',
    });
    expect(settlePayments(money(50_000), [])).toMatchObject({ reason: 'no-payments' });
    expect(settlePayments(money(0), [])).toMatchObject({ ok: true, value: { change: 0 } });
  });

  it('[PAY4] only cash may exceed the total', () => {
    expect(settlePayments(money(50_000), [{ method: 'credit-card', amount: 50_001 }])).toMatchObject({
      reason: 'non-cash-overpayment',
    });
  });

  it('[PAY2] refuses zero, negative and fractional amounts', () => {
    for (const amount of [0, -5, 10.5, Number.NaN]) {
      expect(settlePayments(money(10), [{ method: 'cash', amount }])).toMatchObject({
        reason: 'invalid-payment-amount',
      });
    }
  });

  it('[PAY4] change never exceeds the cash given (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(
          fc.record({
            method: fc.constantFrom(...PAYMENT_METHOD_IDS),
            amount: fc.integer({ min: 1, max: 5_000_000 }),
          }),
          {
            maxLength: 5,
          },
        ),
        (total, payments) => {
          const r = settlePayments(money(total), payments);
          if (!r.ok) return;
          const cash = payments.filter((p) => p.method === 'cash').reduce((a, p) => a + p.amount, 0);
          expect(r.value.change).toBeLessThanOrEqual(cash);
          expect(r.value.paid - r.value.change).toBe(total);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('customers and NIT', () => {
  it('[CUS1] the default buyer is consumidor final 222222222222', () => {
    expect(FINAL_CONSUMER).toMatchObject({ idNumber: '222222222222', name: 'Consumidor final' });
    expect(validateCustomer(FINAL_CONSUMER).ok).toBe(true);
  });

  it('[CUS2] ID types with DIAN codes; numbers checked by type', () => {
    expect([...ID_TYPE_IDS].sort()).toEqual(Object.keys(ID_TYPES).sort());
    expect(ID_TYPES.CC.code).toBe('13');
    expect(ID_TYPES.NIT.code).toBe('31');
    expect(validateCustomer({ idType: 'CC', idNumber: '1020304050', name: ' Ana Pérez ' })).toEqual({
      ok: true,
      value: { idType: 'CC', idNumber: '1020304050', name: 'Ana Pérez' },
    });
    expect(validateCustomer({ idType: 'CC', idNumber: 'AB12', name: 'X' })).toMatchObject({
      reason: 'invalid-customer',
    });
    expect(validateCustomer({ idType: 'PP', idNumber: 'AB123456', name: 'John Doe' }).ok).toBe(true);
    expect(validateCustomer({ idType: 'CC', idNumber: '123456', name: '  ' })).toMatchObject({
      reason: 'invalid-customer',
    });
  });

  it('[CUS3] a NIT needs its correct check digit', () => {
    expect(nitCheckDigit('860002964')).toBe(4); // Bancolombia's DV as published
    expect(nitCheckDigit('800197268')).toBe(4); // DIAN
    expect(isValidNit('800197268', 4)).toBe(true);
    expect(formatNit('800197268', 4)).toBe('800.197.268-4');
    expect(validateCustomer({ idType: 'NIT', idNumber: '800197268', checkDigit: 4, name: 'DIAN' }).ok).toBe(
      true,
    );
    expect(
      validateCustomer({ idType: 'NIT', idNumber: '800197268', checkDigit: 5, name: 'DIAN' }),
    ).toMatchObject({
      reason: 'invalid-customer',
    });
    expect(validateCustomer({ idType: 'NIT', idNumber: '800197268', name: 'DIAN' })).toMatchObject({
      reason: 'invalid-customer',
    });
  });
});

describe('buyers for the electronic invoice (CUS3, CUS4)', () => {
  const company = {
    idType: 'NIT' as const,
    idNumber: '900123456',
    name: 'Distribuidora Andina S.A.S.',
    email: 'facturas@andina.example',
    personType: 'juridica' as const,
    responsibilities: ['O-13' as const, 'O-15' as const],
    address: { line: 'Carrera 7 # 71-21', municipalityCode: '11001', municipality: 'Bogotá D.C.' },
  };

  it('[CUS3] a NIT given without its check digit gets it filled in; a wrong one is refused', () => {
    const completed = completeCustomer(company);
    expect(completed.checkDigit).toBe(nitCheckDigit('900123456'));
    expect(validateCustomer(completed)).toMatchObject({ ok: true });
    const wrong = { ...company, checkDigit: ((completed.checkDigit ?? 0) + 1) % 10 };
    expect(completeCustomer(wrong)).toBe(wrong);
    expect(validateCustomer(wrong)).toMatchObject({ ok: false, reason: 'invalid-customer' });
    // Without the fill, verification still demands it (an issued invoice always carries it).
    expect(validateCustomer(company)).toMatchObject({ ok: false, reason: 'invalid-customer' });
  });

  it('[CUS4] person type, fiscal responsibilities and a DIVIPOLA municipality; a bad code is refused', () => {
    const completed = completeCustomer(company);
    expect(validateCustomer(completed)).toMatchObject({ ok: true, value: { personType: 'juridica' } });
    expect(
      validateCustomer({ ...completed, address: { line: 'Calle 1', municipalityCode: '1100' } }),
    ).toMatchObject({ ok: false, reason: 'invalid-customer' });
    expect(validateCustomer({ ...completed, responsibilities: ['O-13', 'O-13'] })).toMatchObject({
      ok: false,
      reason: 'invalid-customer',
    });
  });
});
