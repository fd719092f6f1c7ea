/**
 * A module customization hook (registered by bin/caja.js before anything else loads) that makes
 * automerge-repo's throttles follow a monotonic clock (CLK3).
 *
 * automerge-repo 2.5 throttles every document's sync and save with `lastCall + delay - Date.now()`
 * (src/helpers/throttle.ts). When the wall clock is set back — an hour, a day — that wait becomes
 * an hour, a day: the terminal stops sending its changes to its peers until the wall clock catches
 * up. The helper is internal to the package (no option reaches it), so this hook serves the same
 * file with `performance.now()`, which never jumps. The substitution is checked: if a newer
 * automerge-repo changed the file, the terminal refuses to start rather than run unprotected.
 */
import type { LoadHook } from 'node:module';

const THROTTLE = /\/@automerge\/automerge-repo\/dist\/helpers\/throttle\.js$/;
/** `Date.now()` calls in automerge-repo 2.5.x's throttle.js: three in each of its two helpers. */
export const EXPECTED_CALLS = 6;

/** The throttle module's source with a monotonic clock; throws if it is not the file we know. */
export function monotonicThrottleSource(source: string): string {
  const calls = source.split('Date.now()').length - 1;
  if (calls !== EXPECTED_CALLS)
    throw new Error(
      `automerge-repo's helpers/throttle.js has ${calls} Date.now() calls, not ${EXPECTED_CALLS}: ` +
        'check src/host/monotonic-throttle.ts against the installed version',
    );
  return source.replaceAll('Date.now()', 'performance.now()');
}

export const load: LoadHook = async (url, context, nextLoad) => {
  const result = await nextLoad(url, context);
  if (!THROTTLE.test(url) || result.source === undefined) return result;
  const source: unknown = result.source;
  const text =
    typeof source === 'string'
      ? source
      : source instanceof Uint8Array
        ? Buffer.from(source).toString('utf8')
        : Buffer.from(source as ArrayBuffer).toString('utf8');
  return { ...result, source: monotonicThrottleSource(text) };
};
