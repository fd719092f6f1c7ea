import { isValidNit } from './nit.js';
import { err, ok, type Result } from './result.js';

/** Identification document types with their DIAN codes. */
export const ID_TYPES = {
  CC: { code: '13', label: 'Cédula de ciudadanía' },
  NIT: { code: '31', label: 'NIT' },
  CE: { code: '22', label: 'Cédula de extranjería' },
  TI: { code: '12', label: 'Tarjeta de identidad' },
  PP: { code: '41', label: 'Pasaporte' },
  PEP: { code: '47', label: 'Permiso especial de permanencia' },
  PPT: { code: '48', label: 'Permiso por protección temporal' },
  DIE: { code: '42', label: 'Documento de identificación extranjero' },
} as const;
export type IdType = keyof typeof ID_TYPES;
export const ID_TYPE_IDS = [
  'CC',
  'NIT',
  'CE',
  'TI',
  'PP',
  'PEP',
  'PPT',
  'DIE',
] as const satisfies readonly IdType[];

export const FINAL_CONSUMER_ID = '222222222222';

export interface Customer {
  readonly idType: IdType;
  readonly idNumber: string;
  /** NIT check digit; required for NIT, absent otherwise. */
  readonly checkDigit?: number | undefined;
  readonly name: string;
  readonly email?: string | undefined;
}

/** "Consumidor final": the default buyer of a sale with no identified customer. */
export const FINAL_CONSUMER: Customer = Object.freeze({
  idType: 'CC',
  idNumber: FINAL_CONSUMER_ID,
  name: 'Consumidor final',
});

export function isFinalConsumer(customer: Customer): boolean {
  return customer.idNumber === FINAL_CONSUMER_ID;
}

export type CustomerReason = 'invalid-customer';

/** Check an identified customer (SPEC.md CUS1–CUS3). Shape is checked by the schemas before. */
export function validateCustomer(customer: Customer): Result<Customer, CustomerReason> {
  const name = customer.name.trim();
  if (name.length === 0) return err('invalid-customer', 'the customer needs a name');
  const numeric = customer.idType !== 'PP' && customer.idType !== 'DIE' && customer.idType !== 'PEP';
  const pattern = numeric ? /^\d{3,15}$/ : /^[A-Za-z0-9]{3,20}$/;
  if (!pattern.test(customer.idNumber)) {
    return err(
      'invalid-customer',
      `"${customer.idNumber}" is not a valid ${ID_TYPES[customer.idType].label} number`,
    );
  }
  if (customer.idType === 'NIT') {
    if (customer.checkDigit === undefined || !isValidNit(customer.idNumber, customer.checkDigit)) {
      return err('invalid-customer', `NIT ${customer.idNumber} needs its correct check digit`);
    }
  } else if (customer.checkDigit !== undefined) {
    return err('invalid-customer', 'only a NIT has a check digit');
  }
  return ok({ ...customer, name });
}
