import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SLUG_PATTERN, slugFromName } from '../../../src/domain/ids.js';

describe('slugFromName (PRN1: printer and station ids)', () => {
  it('drops accents, joins words with dashes and adds the suffix', () => {
    expect(slugFromName('Impresora Cocina Ñandú', 'impresora', 'a1b2')).toBe('impresora-cocina-nandu-a1b2');
    expect(slugFromName('¡¿!!', 'estacion', 'ff')).toBe('estacion-ff');
  });

  it('always gives an id the host accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.stringMatching(/^[0-9a-f]{4}$/), (name, suffix) => {
        expect(slugFromName(name, 'impresora', suffix)).toMatch(SLUG_PATTERN);
      }),
    );
  });
});
