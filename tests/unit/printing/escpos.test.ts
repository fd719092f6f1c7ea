import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeEscPos } from '../../../src/printing/escpos.js';
import { printLines, type PrintRow } from '../../../src/printing/print-document.js';
import { escPosCommands, escPosText } from '../../support/fake-printer.js';
import { CODEPAGES } from '../../../src/domain/printer.js';

const doc = (rows: PrintRow[], pulse = false) => ({ title: 't', rows, cut: true, pulse });

describe('ESC/POS encoding (PRN3)', () => {
  it('[PRN3] starts with ESC @, selects the code page, cuts, and prints Spanish as written in every code page offered', () => {
    const text = 'Señor Peña: ¿añadió el jalapeño? ¡Sí! $ 12.345';
    for (const codepage of CODEPAGES) {
      if (codepage === 'cp437') continue; // cp437 has no Á/Í/Ó/Ú: the test line has none of them
      const bytes = encodeEscPos(doc([{ kind: 'text', text }]), { columns: 48, codepage });
      const commands = escPosCommands(bytes);
      expect(commands.init).toBe(true);
      expect(commands.cut).toBe(true);
      expect(commands.pulse).toBe(false);
      expect(escPosText(bytes)).toContain(text);
    }
    const upper = encodeEscPos(doc([{ kind: 'text', text: 'ÁÉÍÓÚ Ññ ¿? ¡!' }]), { columns: 42 });
    expect(escPosCommands(upper).codepage).toBe(19); // cp858, the default
    expect(escPosText(upper)).toContain('ÁÉÍÓÚ Ññ ¿? ¡!');
  });

  it('[PRN3] lays rows out at 32, 42 and 48 columns: no printed line is wider than the paper', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(32 as const, 42 as const, 48 as const),
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('text' as const), text: fc.string({ maxLength: 120 }) }),
            fc.record({ kind: fc.constant('center' as const), text: fc.string({ maxLength: 120 }) }),
            fc.record({
              kind: fc.constant('pair' as const),
              left: fc.string({ maxLength: 80 }),
              right: fc.string({ minLength: 1, maxLength: 14 }),
            }),
            fc.record({ kind: fc.constant('pre' as const), text: fc.string({ maxLength: 120 }) }),
          ),
          { maxLength: 8 },
        ),
        (columns, rows) => {
          for (const row of rows)
            for (const line of printLines(row, columns)) expect(line.length).toBeLessThanOrEqual(columns);
        },
      ),
    );
  });

  it('[PRN3] [PRN7] a strong row is bold and double height; the drawer pulse is ESC p; a resend says REIMPRESIÓN, a copy COPIA', () => {
    const bytes = encodeEscPos(
      doc([{ kind: 'pair', left: 'TOTAL', right: '$ 3.200', strong: true }], true),
      { columns: 42 },
      { reprint: true, copy: true },
    );
    const b = Buffer.from(bytes);
    expect(b.includes(Buffer.from([0x1b, 0x45, 0x01]))).toBe(true); // ESC E 1: bold
    expect(escPosCommands(bytes).pulse).toBe(true);
    const text = escPosText(bytes);
    expect(text).toContain('*** REIMPRESIÓN ***');
    expect(text).toContain('*** COPIA ***');
    expect(text).toMatch(/TOTAL +\$ 3\.200/);
  });

  it('[TXT2] no control byte of a document reaches the printer as a command', () => {
    const bytes = encodeEscPos(doc([{ kind: 'text', text: 'a\u001b@b\u001dVc' }]), { columns: 42 });
    // One ESC @ (the initialization) and one cut (GS V) only.
    const b = Buffer.from(bytes);
    const count = (needle: number[]) => {
      let n = 0;
      for (let i = b.indexOf(Buffer.from(needle)); i >= 0; i = b.indexOf(Buffer.from(needle), i + 1)) n += 1;
      return n;
    };
    expect(count([0x1b, 0x40])).toBe(1);
    expect(count([0x1d, 0x56])).toBe(1);
  });
});
