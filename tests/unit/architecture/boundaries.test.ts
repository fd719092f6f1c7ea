import { ESLint } from 'eslint';
import pluginVue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaries } from '../../../eslint.boundaries.js';

/**
 * The layering of src/ (docs/architecture.md, "Layers") is a lint rule, not a habit: each boundary
 * is shown failing on a deliberate crossing, and holding on an import it allows. The same rules run
 * in `npm run lint` over the real tree.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
    },
    ...pluginVue.configs['flat/base'],
    { files: ['**/*.vue'], languageOptions: { parserOptions: { parser: tseslint.parser } } },
    ...boundaries,
  ],
});

async function crossings(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the layers of src/, enforced by the linter', () => {
  it('src/domain imports nothing but zod and itself', async () => {
    expect(
      await crossings('src/domain/zz.ts', "import { z } from 'zod';\nimport { money } from './money.js';\n"),
    ).toEqual([]);
    for (const code of [
      "import type { TerminalContext } from '../host/api/context.js';",
      "import { readFileSync } from 'node:fs';",
      "import { Repo } from '@automerge/automerge-repo';",
    ]) {
      const found = await crossings('src/domain/zz.ts', code);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatch(/^no-restricted-imports: .*src\/domain imports nothing but zod/);
    }
  });

  it('src/ui imports no Node module, nothing from host/ or cloud/, and no LAN or storage code', async () => {
    const allowed = [
      "import type { Invoice } from '../../domain/invoice.js';",
      "import { readJournal } from '../../crdt/documents/journal-doc.js';",
      "import { InvoiceBook } from '../../invoice/invoice-book.js';",
    ].join('\n');
    expect(await crossings('src/ui/stores/zz.ts', allowed)).toEqual([]);
    for (const [code, says] of [
      ["import { readFileSync } from 'node:fs';", /no Node modules/],
      ["import { createHash } from 'crypto';", /no Node modules/],
      ["import type { TerminalContext } from '../../host/api/context.js';", /nothing from host\//],
      ["import { CloudStore } from '../../cloud/cloud-store.js';", /nothing from host\//],
      ["import { LanNetwork } from '../../crdt/lan-network.js';", /never the LAN or storage code/],
    ] as const) {
      const found = await crossings('src/ui/stores/zz.ts', code);
      expect(found, code).toHaveLength(1);
      expect(found[0]).toMatch(says);
    }
    // The same in a component.
    const vue = `<script setup lang="ts">\nimport { hostname } from 'node:os';\n</script>\n<template><p /></template>\n`;
    expect(await crossings('src/ui/components/Zz.vue', vue)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no Node modules/),
    ]);
  });

  it('src/crdt imports no host/', async () => {
    const found = await crossings('src/crdt/zz.ts', "import { startTerminal } from '../host/terminal.js';");
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: .*src\/crdt imports no host\//)]);
    expect(await crossings('src/crdt/documents/zz.ts', "import { x } from '../../host/x.js';")).toHaveLength(
      1,
    );
    expect(await crossings('src/crdt/zz.ts', "import { money } from '../domain/money.js';")).toEqual([]);
  });

  it('src/contract loads only the domain and zod; a producer’s answer type comes type-only', async () => {
    const allowed = [
      "import { z } from 'zod';",
      "import { invoiceSchema } from '../domain/invoice.js';",
      "import type { Preflight } from '../upload/preflight.js';",
      "import type { DianState } from './cloud.js';",
    ].join('\n');
    expect(await crossings('src/contract/zz.ts', allowed)).toEqual([]);
    expect(
      await crossings('src/contract/zz.ts', "import { preflight } from '../upload/preflight.js';"),
    ).toEqual([expect.stringMatching(/^@typescript-eslint\/no-restricted-imports: .*type-only/)]);
    expect(await crossings('src/contract/zz.ts', "import type { X } from '../host/x.js';")).toHaveLength(1);
    expect(await crossings('src/contract/zz.ts', "import { readFileSync } from 'node:fs';")).toHaveLength(1);
  });

  it('src/invoice reaches the documents through the journal port only', async () => {
    expect(
      await crossings(
        'src/invoice/zz.ts',
        "import type { StoreDocuments } from '../crdt/store-documents.js';",
      ),
    ).toEqual([expect.stringMatching(/^no-restricted-imports: .*journal port/)]);
    const allowed = [
      "import type { JournalPort } from '../domain/journal-port.js';",
      "import { fsyncDirectory } from '../crdt/storage/atomic-file.js';",
    ].join('\n');
    expect(await crossings('src/invoice/zz.ts', allowed)).toEqual([]);
  });

  it('the selling and upload code imports no host/, and the reference cloud none of the terminal', async () => {
    expect(await crossings('src/invoice/zz.ts', "import { x } from '../host/x.js';")).toHaveLength(1);
    expect(await crossings('src/upload/zz.ts', "import { x } from '../ui/x.js';")).toHaveLength(1);
    // The terminal speaks to the cloud through src/contract, never the reference cloud's modules.
    expect(
      await crossings('src/upload/zz.ts', "import { CloudStore } from '../cloud/cloud-store.js';"),
    ).toHaveLength(1);
    expect(await crossings('src/crdt/zz.ts', "import type { X } from '../cloud/x.js';")).toHaveLength(1);
    expect(await crossings('src/cloud/zz.ts', "import { Ledger } from '../invoice/ledger.js';")).toHaveLength(
      1,
    );
    expect(await crossings('src/cloud/zz.ts', "import { money } from '../domain/money.js';")).toEqual([]);
  });
});
