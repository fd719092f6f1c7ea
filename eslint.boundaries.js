/**
 * The layering of src/ (docs/architecture.md, "Layers"), enforced by the lint run: one
 * `no-restricted-imports` entry per folder. tests/unit/architecture/boundaries.test.ts shows each
 * rule failing on a deliberate crossing.
 */

/** Node's built-in modules, with or without the `node:` prefix. */
const NODE_BUILTIN =
  '^(node:.*|assert|buffer|child_process|cluster|crypto|dgram|dns|events|fs|fs/promises|http|http2|https|net|os|path|perf_hooks|process|readline|stream|string_decoder|timers|tls|tty|url|util|v8|vm|worker_threads|zlib)$';

/** An import of one of `folders` under src/, relative from anywhere in src/. */
const into = (...folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const rule = (patterns) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map(([regex, message]) => ({ regex, message })) }],
});

export const boundaries = [
  {
    // The pure core: rules and values, nothing else.
    files: ['src/domain/**/*.ts'],
    rules: rule([['^(?!zod$|\\./)', 'src/domain imports nothing but zod and itself.']]),
  },
  {
    // The wire contracts (the host's API, the cloud's): schemas over the domain. An answer type
    // may name the type of the module that builds it (type-only: nothing of it is loaded).
    files: ['src/contract/**/*.ts'],
    rules: {
      ...rule([
        [NODE_BUILTIN, 'src/contract is read by the screen too: no Node modules.'],
        [into('host', 'ui', 'cloud', 'security'), 'src/contract imports no host/, ui/ or cloud/.'],
      ]),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: into('crdt', 'invoice', 'restaurant', 'upload', 'printing'),
              allowTypeImports: true,
              message:
                'src/contract loads only src/domain and zod; other layers' +
                "'" +
                ' types are imported type-only.',
            },
          ],
        },
      ],
    },
  },
  {
    // The screen runs in a browser: no Node, no host, no cloud server, no LAN or storage code.
    files: ['src/ui/**/*.ts', 'src/ui/**/*.vue'],
    rules: rule([
      [NODE_BUILTIN, 'src/ui runs in the browser: no Node modules.'],
      [into('host', 'cloud', 'security'), 'src/ui imports nothing from host/, cloud/ or storage code.'],
      [
        '^(\\.\\./)+crdt/(?!documents/)',
        'src/ui reads the documents (crdt/documents) only, never the LAN or storage code.',
      ],
    ]),
  },
  {
    // The documents and the LAN: below everything that sells, uploads or serves.
    files: ['src/crdt/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'invoice', 'restaurant', 'upload', 'cloud'),
        'src/crdt imports no host/, ui/, invoice/, restaurant/, upload/ or cloud/.',
      ],
    ]),
  },
  {
    files: ['src/restaurant/**/*.ts', 'src/upload/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'cloud'),
        'restaurant/ and upload/ import no host/, ui/ or the reference cloud (its wire contract is src/contract).',
      ],
    ]),
  },
  {
    // Selling: the fiscal record and its rules, over the journal port the documents implement.
    files: ['src/invoice/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'cloud', 'restaurant', 'upload', 'printing'),
        'src/invoice imports no host/, ui/, restaurant/, upload/, printing/ or the reference cloud.',
      ],
      [
        '^(\\.\\./)+crdt/(?!storage/atomic-file\\.js$)',
        'src/invoice reaches the documents through the journal port (src/domain/journal-port.ts).',
      ],
    ]),
  },
  {
    // The reference cloud is another program: it shares the domain and the contract, not the terminal.
    files: ['src/cloud/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'crdt', 'invoice', 'restaurant', 'upload'),
        'src/cloud shares only the domain and the contract with the terminal.',
      ],
    ]),
  },
  {
    // Printing: documents to bytes to printers; below the host, beside selling.
    files: ['src/printing/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'cloud', 'upload', 'restaurant'),
        'src/printing imports no host/, ui/, upload/, restaurant/ or the reference cloud.',
      ],
      [
        '^(\\.\\./)+crdt/(?!storage/atomic-file\\.js$)',
        'src/printing writes its jobs with the atomic file only; the documents come through the host.',
      ],
    ]),
  },
  {
    files: ['src/security/**/*.ts'],
    rules: rule([
      [
        into('host', 'ui', 'crdt', 'invoice', 'restaurant', 'upload', 'cloud'),
        'a leaf module imports only src/domain.',
      ],
    ]),
  },
];
