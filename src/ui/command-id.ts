/**
 * A command id is made when the cashier starts an action and reused on every retry of it, so the
 * host never runs the action twice (SAL1). The host accepts 8–64 letters, digits, - and _.
 */
export function newCommandId(prefix = 'ui'): string {
  const random =
    typeof crypto.randomUUID === 'function'
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join(
          '',
        );
  return `${prefix}-${random}`;
}
