import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monotonicThrottleSource } from '../../../src/host/monotonic-throttle.js';

describe('automerge-repo throttles on a monotonic clock (CLK3)', () => {
  const installed = join(
    dirname(createRequire(import.meta.url).resolve('@automerge/automerge-repo')),
    '../helpers/throttle.js',
  );

  it('[CLK3] the installed throttle.js is the file the hook knows, and comes out with no Date.now left', () => {
    const source = readFileSync(installed, 'utf8');
    const patched = monotonicThrottleSource(source);
    expect(patched).not.toContain('Date.now()');
    expect(patched.split('performance.now()').length - 1).toBe(6);
  });

  it('[CLK3] a file it does not know is refused, rather than run with a wall-clock throttle', () => {
    expect(() => monotonicThrottleSource('export const throttle = () => Date.now()')).toThrow(/throttle\.js/);
  });
});
