/**
 * JSON with object keys sorted at every level and undefined properties left out: two equal
 * documents give equal strings, so the string (or its hash) decides "same content" for idempotent
 * uploads. Written out by hand because it runs for every uploaded item. `known` gives the text of
 * objects already written out (a document inside its signed entry is not written twice).
 */
export function canonicalJson(value: unknown, known?: ReadonlyMap<object, string>): string {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const done = known?.get(value);
  if (done !== undefined) return done;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) out += ',';
      const item: unknown = value[i];
      out += item === undefined ? 'null' : canonicalJson(item, known);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    first = false;
    out += `${JSON.stringify(key)}:${canonicalJson(item, known)}`;
  }
  return `${out}}`;
}
