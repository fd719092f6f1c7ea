import { certificateSchema, CERTIFICATE_VERSION, type Certificate } from '../domain/certificate.js';
import { err, ok, type Result } from '../domain/result.js';
import type { Numbering } from '../domain/schemas.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { signedText } from '../domain/seal.js';
import { keyIdOf, sha256Base64url, signText, verifyText, type SigningKey } from './signing.js';

export type CertificateReason = 'invalid-certificate' | 'foreign-certificate' | 'bad-certificate-signature';
export type EntryTrustReason = 'unknown-key' | 'bad-signature' | 'number-out-of-range';

/** The cloud's side: certify a terminal's public key and its range with the store's key. */
export function certify(body: Omit<Certificate, 'sig' | 'v' | 'keyId'>, storeKey: SigningKey): Certificate {
  const unsigned = { ...body, v: CERTIFICATE_VERSION, keyId: keyIdOf(body.publicKey) } as const;
  return { ...unsigned, sig: signText('caja-cert-v1', signedText(unsigned), storeKey) };
}

/** Does this certificate parse, belong to the store, and carry the store key's signature? */
export function checkCertificate(
  value: unknown,
  storeId: string,
  storePublicKey: string,
): Result<Certificate, CertificateReason> {
  const parsed = certificateSchema.safeParse(value);
  if (!parsed.success) return err('invalid-certificate', 'not a terminal key certificate');
  const cert = parsed.data;
  if (cert.storeId !== storeId) return err('foreign-certificate', `certificate of store ${cert.storeId}`);
  if (
    cert.keyId !== keyIdOf(cert.publicKey) ||
    !verifyText('caja-cert-v1', signedText(cert), cert.sig, storePublicKey)
  )
    return err('bad-certificate-signature', `certificate ${cert.keyId} is not signed by the store`);
  return ok(cert);
}

/** What the trust check needs of a journal entry (crdt's JournalEntry has all of it). */
export interface SignedEntry {
  readonly kind: string;
  readonly terminalId: string;
  readonly keyId: string;
  readonly sig: string;
  readonly invoice?: { readonly prefix: string; readonly consecutive: number };
  readonly prefix?: string;
  readonly consecutive?: number;
}

/** SIG2: what the next entry of the same journal links to — the hash of this one, signature included. */
export function entryHash(entry: object): string {
  return sha256Base64url(canonicalJson(entry));
}

/** Sign an entry with the terminal's key: the entry gets its keyId and signature. */
/** An entry before its key id and signature (distributed over the kinds of a union). */
export type Unsealed<T> = T extends unknown ? Omit<T, 'keyId' | 'sig'> : never;

export function sealEntry<T extends { keyId: string; sig: string }>(entry: Unsealed<T>, key: SigningKey): T {
  const withKey = { ...entry, keyId: key.keyId };
  return { ...withKey, sig: signText('caja-entry-v1', signedText(withKey), key) } as unknown as T;
}

/**
 * The terminals this terminal trusts: those whose key certificate the store signed. An entry is
 * trusted when the key that signed it is certified for its own journal's terminal and its number,
 * if it has one, is inside a range certified for that terminal.
 */
export class TerminalTrust {
  private readonly certs = new Map<string, Map<string, Certificate>>();

  constructor(
    readonly storeId: string,
    readonly storePublicKey: string,
  ) {}

  /** Take a certificate in, once it verifies; answers whether it is new. */
  add(value: unknown): Result<{ cert: Certificate; added: boolean }, CertificateReason> {
    const checked = checkCertificate(value, this.storeId, this.storePublicKey);
    if (!checked.ok) return checked;
    const cert = checked.value;
    let keys = this.certs.get(cert.terminalId);
    if (!keys) {
      keys = new Map();
      this.certs.set(cert.terminalId, keys);
    }
    const added = !keys.has(cert.keyId);
    if (added) keys.set(cert.keyId, cert);
    return ok({ cert, added });
  }

  isCertified(terminalId: string): boolean {
    return (this.certs.get(terminalId)?.size ?? 0) > 0;
  }

  terminals(): string[] {
    return [...this.certs.keys()].sort();
  }

  certificates(terminalId?: string): Certificate[] {
    const all =
      terminalId === undefined
        ? [...this.certs.values()].flatMap((m) => [...m.values()])
        : [...(this.certs.get(terminalId)?.values() ?? [])];
    return all.sort((a, b) => (a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : 0));
  }

  /** Every range certified for a terminal. */
  numberings(terminalId: string): Numbering[] {
    return this.certificates(terminalId).map((c) => c.numbering);
  }

  inRange(terminalId: string, prefix: string, consecutive: number): boolean {
    return this.numberings(terminalId).some(
      (n) => n.prefix === prefix && consecutive >= n.from && consecutive <= n.to,
    );
  }

  /** undefined when the entry is trusted; otherwise why not. */
  checkEntry(entry: SignedEntry): EntryTrustReason | undefined {
    const cert = this.certs.get(entry.terminalId)?.get(entry.keyId);
    if (!cert) return 'unknown-key';
    if (!verifyText('caja-entry-v1', signedText(entry), entry.sig, cert.publicKey)) return 'bad-signature';
    const number =
      entry.kind === 'invoice' && entry.invoice
        ? entry.invoice
        : entry.prefix !== undefined && entry.consecutive !== undefined
          ? { prefix: entry.prefix, consecutive: entry.consecutive }
          : undefined;
    if (number && !this.inRange(entry.terminalId, number.prefix, number.consecutive))
      return 'number-out-of-range';
    return undefined;
  }
}
