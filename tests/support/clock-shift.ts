import { readFileSync } from 'node:fs';

/**
 * Preloaded into a test's terminal process (`node --import …/clock-shift.js`) to move its wall
 * clock as an administrator setting the system time would: `Date.now()` and `new Date()` shift by
 * the milliseconds written in the file named by CAJA_TEST_CLOCK_FILE (read again every 100 ms, so
 * a test can move the clock of a running terminal). The monotonic clock does not move. Test
 * support only: no production code reads this variable.
 */
const file = process.env.CAJA_TEST_CLOCK_FILE;
if (file !== undefined) {
  let offset = 0;
  const read = () => {
    try {
      const value = Number(readFileSync(file, 'utf8').trim());
      if (Number.isFinite(value)) offset = value;
    } catch {
      // No file yet: no shift.
    }
  };
  read();
  setInterval(read, 100).unref();
  const realNow = Date.now.bind(Date);
  const RealDate = Date;
  Date.now = () => realNow() + offset;
  class ShiftedDate extends RealDate {
    constructor(...args: ConstructorParameters<typeof Date> | []) {
      if (args.length === 0) super(realNow() + offset);
      else super(...args);
    }
  }
  globalThis.Date = ShiftedDate as DateConstructor;
}
