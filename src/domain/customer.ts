import { isValidNit, nitCheckDigit } from './nit.js';
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

/** CUS4: person type of an identified buyer, as the electronic invoice states it. */
export const PERSON_TYPES = ['natural', 'juridica'] as const;
export type PersonType = (typeof PERSON_TYPES)[number];

/**
 * CUS4: the buyer's fiscal responsibilities (RUT casilla 53) the electronic invoice carries:
 * gran contribuyente, autorretenedor, agente de retención de IVA, régimen simple, or "no aplica".
 */
export const FISCAL_RESPONSIBILITIES = {
  'O-13': 'Gran contribuyente',
  'O-15': 'Autorretenedor',
  'O-23': 'Agente de retención IVA',
  'O-47': 'Régimen simple de tributación',
  'R-99-PN': 'No aplica – otros',
} as const;
export type FiscalResponsibility = keyof typeof FISCAL_RESPONSIBILITIES;
export const FISCAL_RESPONSIBILITY_IDS = [
  'O-13',
  'O-15',
  'O-23',
  'O-47',
  'R-99-PN',
] as const satisfies readonly FiscalResponsibility[];

export interface BuyerAddress {
  readonly line: string;
  /** DIVIPOLA code of the municipality (5 digits: department + municipality), e.g. 11001 Bogotá. */
  readonly municipalityCode: string;
  readonly municipality?: string | undefined;
}

export interface Customer {
  readonly idType: IdType;
  readonly idNumber: string;
  /** NIT check digit; required for NIT (filled in when left out), absent otherwise. */
  readonly checkDigit?: number | undefined;
  readonly name: string;
  readonly email?: string | undefined;
  readonly personType?: PersonType | undefined;
  readonly responsibilities?: FiscalResponsibility[] | undefined;
  readonly address?: BuyerAddress | undefined;
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

/** One buyer per identification: the directory's key (`NIT:900123456`). */
export function customerKey(customer: Pick<Customer, 'idType' | 'idNumber'>): string {
  return `${customer.idType}:${customer.idNumber}`;
}

/** CUS3: a NIT given without its check digit gets it computed; a wrong one stays wrong (refused). */
export function completeCustomer(customer: Customer): Customer {
  if (customer.idType !== 'NIT' || customer.checkDigit !== undefined || !/^\d{1,15}$/.test(customer.idNumber))
    return customer;
  return { ...customer, checkDigit: nitCheckDigit(customer.idNumber) };
}

/** Check an identified customer (SPEC.md CUS1–CUS4). Shape is checked by the schemas before. */
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
  if (customer.address !== undefined && !/^\d{5}$/.test(customer.address.municipalityCode)) {
    return err('invalid-customer', 'the municipality is its 5-digit DIVIPOLA code');
  }
  if (
    customer.responsibilities !== undefined &&
    new Set(customer.responsibilities).size !== customer.responsibilities.length
  )
    return err('invalid-customer', 'a fiscal responsibility is listed twice');
  return ok({ ...customer, name });
}
