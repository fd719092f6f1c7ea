/** The store's LAN key travels as base64url (43 characters) and is 32 bytes. */
export function decodeLanKey(encoded: string): Uint8Array {
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.length !== 32) throw new RangeError('the LAN key must be 32 bytes');
  return new Uint8Array(bytes);
}
