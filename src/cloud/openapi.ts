import { stringify } from 'yaml';
import { z } from 'zod';
import {
  batchRejectedSchema,
  batchResultSchema,
  catalogSchema,
  customerDirectorySchema,
  customerUpsertSchema,
  resolutionRequestSchema,
  resolutionsAnswerSchema,
  certificateAnswerSchema,
  errorBodySchema,
  healthSchema,
  inventorySchema,
  keyRequestSchema,
  MAX_BATCH_ITEMS,
  offlineSalesBatchSchema,
  offlineSalesPageSchema,
  numberingAccountSchema,
  dianRejectNextSchema,
  productUpsertSchema,
  provisioningSchema,
} from '../contract/cloud.js';

/**
 * docs/cloud-api.yaml is generated from the contract's zod schemas, so the document and the
 * validators cannot drift apart; a test fails when the committed file is stale.
 */
const components = {
  Error: errorBodySchema,
  Health: healthSchema,
  Provisioning: provisioningSchema,
  KeyRequest: keyRequestSchema,
  CertificateAnswer: certificateAnswerSchema,
  Catalog: catalogSchema,
  CustomerDirectory: customerDirectorySchema,
  Resolution: resolutionRequestSchema,
  Resolutions: resolutionsAnswerSchema,
  Customer: customerUpsertSchema,
  Product: productUpsertSchema,
  OfflineSalesBatch: offlineSalesBatchSchema,
  BatchResult: batchResultSchema,
  BatchRejected: batchRejectedSchema,
  OfflineSalesPage: offlineSalesPageSchema,
  NumberingAccount: numberingAccountSchema,
  DianRejectNext: dianRejectNextSchema,
  Inventory: inventorySchema,
} as const;

type ComponentName = keyof typeof components;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  });
  return rest;
}

const ref = (name: ComponentName) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: ComponentName, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});
const errors = (...codes: [number, string][]) =>
  Object.fromEntries(codes.map(([code, why]) => [String(code), json('Error', why)]));

const storeParam = { name: 'storeId', in: 'path', required: true, schema: { type: 'string' } };
const auth = [{ bearer: [] }];
const commonErrors: [number, string][] = [
  [401, 'missing or wrong token (`unauthorized`)'],
  [404, 'unknown store (`unknown-store`)'],
];

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Caja offline — cloud contract',
      version: '1.0.0',
      description:
        'What a cloud must offer the offline cashboxes: provisioning of terminals, the catalog, and the upload of ' +
        'contingency sales (invoices and credit-note requests), idempotent by item id and by prefix + number. Every ' +
        'error answers `{error, message}` with a machine-readable `error`. Generated from src/contract/cloud.ts.',
    },
    servers: [{ url: 'http://127.0.0.1:7070' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'one token per store' } },
      schemas: Object.fromEntries(
        Object.entries(components).map(([name, schema]) => [
          name,
          jsonSchema(
            schema,
            name === 'OfflineSalesBatch' || name === 'Product' || name === 'KeyRequest' ? 'input' : 'output',
          ),
        ]),
      ),
    },
    paths: {
      '/v1/health': {
        get: { summary: 'Liveness', responses: { '200': json('Health', 'the cloud is up') } },
      },
      '/v1/stores/{storeId}/terminals/{terminalId}/provisioning': {
        get: {
          summary: 'Everything a terminal needs to be installed',
          description:
            'Store profile, this terminal’s contingency numbering, every terminal’s prefix, users with salted PIN ' +
            'hashes (never PINs), the store’s LAN key, the floor plan, the store’s public signing key and every ' +
            'terminal key certificate issued so far.',
          security: auth,
          parameters: [
            storeParam,
            { name: 'terminalId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': json('Provisioning', 'the provisioning'),
            ...errors(...commonErrors, [
              404,
              'unknown store or terminal (`unknown-store`, `unknown-terminal`)',
            ]),
          },
        },
      },
      '/v1/stores/{storeId}/terminals/{terminalId}/keys': {
        post: {
          summary: 'Certify the public key a terminal generated for signing its journal',
          description:
            'The terminal generates an Ed25519 key pair at provisioning and keeps the private key; the store signs ' +
            'a certificate binding the public key to the terminal and the range it numbers from (src/domain/' +
            'certificate.ts). The same key again answers 200 with its first certificate. Every uploaded document ' +
            'carries the seal of its journal entry, checked against these certificates.',
          security: auth,
          parameters: [
            storeParam,
            { name: 'terminalId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('KeyRequest') } } },
          responses: {
            '201': json('CertificateAnswer', 'a new certificate'),
            '200': json('CertificateAnswer', 'this key was certified before: the same certificate'),
            ...errors(...commonErrors, [400, '`invalid-body`'], [404, '`unknown-terminal`']),
          },
        },
      },
      '/v1/stores/{storeId}/terminals/{terminalId}/resolutions': {
        get: {
          summary: 'Every range (DIAN resolution) ever assigned to the terminal, oldest first',
          security: auth,
          parameters: [
            storeParam,
            { name: 'terminalId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          responses: {
            '200': json('Resolutions', 'the resolutions'),
            ...errors(...commonErrors, [404, '`unknown-terminal`']),
          },
        },
        post: {
          summary: 'A store admin assigns the terminal a new range (its next provisioning numbers from it)',
          description:
            'A prefix belongs to one terminal and two ranges of a prefix never overlap. Older ranges stay valid ' +
            'for the invoices printed on them: every uploaded invoice is checked against the resolution it states.',
          security: auth,
          parameters: [
            storeParam,
            { name: 'terminalId', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Resolution') } } },
          responses: {
            '201': json('Resolutions', 'assigned; every resolution of the terminal'),
            ...errors(
              ...commonErrors,
              [400, '`invalid-body`, `invalid-path`'],
              [404, '`unknown-terminal`'],
              [409, '`prefix-taken` (another terminal numbers with it), `range-overlap`'],
            ),
          },
        },
      },
      '/v1/stores/{storeId}/catalog': {
        get: {
          summary: 'The catalog (products with tax-included prices, taxes and categories)',
          security: auth,
          parameters: [
            storeParam,
            { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              ...json('Catalog', 'the catalog; the ETag header names its version'),
              headers: { ETag: { schema: { type: 'string' } } },
            },
            '304': { description: 'the catalog has not changed since the ETag given' },
            ...errors(...commonErrors),
          },
        },
      },
      '/v1/stores/{storeId}/catalog/products/{sku}': {
        put: {
          summary: 'Back office: add or replace a product (bumps the catalog version)',
          security: auth,
          parameters: [storeParam, { name: 'sku', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Product') } } },
          responses: {
            '200': { description: 'stored; answers `{version}`' },
            ...errors(...commonErrors, [400, '`invalid-body`, `sku-mismatch`']),
          },
        },
        delete: {
          summary: 'Back office: remove a product (bumps the catalog version)',
          security: auth,
          parameters: [storeParam, { name: 'sku', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'removed; answers `{version}`' }, ...errors(...commonErrors) },
        },
      },
      '/v1/stores/{storeId}/customers': {
        get: {
          summary: 'The customer directory (identified buyers), read by the terminals with "Leer catálogo"',
          description:
            'Buyers entered in the back office, and every buyer identified on an uploaded invoice (the newest data ' +
            'given for an identification wins; an invoice uploaded late never overwrites newer data).',
          security: auth,
          parameters: [
            storeParam,
            { name: 'If-None-Match', in: 'header', required: false, schema: { type: 'string' } },
          ],
          responses: {
            '200': {
              ...json('CustomerDirectory', 'the directory; the ETag header names its version'),
              headers: { ETag: { schema: { type: 'string' } } },
            },
            '304': { description: 'the directory has not changed since the ETag given' },
            ...errors(...commonErrors),
          },
        },
      },
      '/v1/stores/{storeId}/customers/{idType}/{idNumber}': {
        put: {
          summary: 'Back office: add or replace a customer (bumps the directory version)',
          security: auth,
          parameters: [
            storeParam,
            { name: 'idType', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'idNumber', in: 'path', required: true, schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: ref('Customer') } } },
          responses: {
            '200': { description: 'stored; answers `{version}` (a NIT without check digit gets it)' },
            ...errors(
              ...commonErrors,
              [400, '`invalid-body`, `invalid-path`, `id-mismatch`'],
              [422, '`invalid-customer`'],
            ),
          },
        },
      },
      '/v1/stores/{storeId}/offline-sales': {
        post: {
          summary: `Upload contingency invoices, credit-note requests and unused numbers (at most ${MAX_BATCH_ITEMS} per batch)`,
          description:
            'Each item is its own unit: stored whole with its stock movement (an invoice decrements stock per line, ' +
            'a credit note restores it) or not at all, and never blocks the others. Per item: `created`; ' +
            '`duplicate` (the same content was already stored: an idempotent success); `conflict` (the same id, or ' +
            'the same prefix + number, or a second void of one invoice, with other content: `id-conflict`, ' +
            '`number-taken`, `number-unused` — the number was reported never issued —, `already-voided`; nothing ' +
            'changes); `rejected` with a reason (`wrong-store`, `unused-number-mismatch`, ' +
            '`unknown-terminal`, `prefix-mismatch`, `number-out-of-range`, `resolution-mismatch`, `range-not-valid`, ' +
            '`totals-mismatch`, `payments-mismatch`, `invalid-quantity`, `invalid-customer`, `unknown-invoice`, ' +
            '`credit-note-mismatch`, `seal-mismatch`, `unknown-key`, `bad-signature` — the seal of the journal ' +
            'entry does not verify with a key the store certified for the terminal —, `issued-in-future` — dated ' +
            'more than 10 minutes after the cloud received it). An `unused-number` item reports a number of the ' +
            "terminal's range that was reserved and never issued (a crash or a failed write): it is checked like an " +
            'invoice number and accounts for it. The answer is sent after the batch is committed to disk.',
          security: auth,
          parameters: [storeParam],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: ref('OfflineSalesBatch') } },
          },
          responses: {
            '200': json('BatchResult', 'the batch was processed; see each item'),
            '422': json('BatchRejected', 'no item could be stored (`items-rejected`); see each item'),
            ...errors(
              ...commonErrors,
              [
                400,
                '`malformed-json`, `invalid-body` (wrong types, zero or negative quantities…), `duplicate-ids`',
              ],
              [413, '`batch-too-large` or `payload-too-large`'],
            ),
          },
        },
        get: {
          summary: 'Read back what was uploaded, in arrival order',
          security: auth,
          parameters: [
            storeParam,
            { name: 'terminal', in: 'query', required: false, schema: { type: 'string' } },
            { name: 'cursor', in: 'query', required: false, schema: { type: 'string' } },
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'integer', minimum: 1, maximum: 1000 },
            },
          ],
          responses: {
            '200': json('OfflineSalesPage', 'a page; pass `nextCursor` back to get the next'),
            ...errors(...commonErrors, [400, '`invalid-query`']),
          },
        },
      },
      '/v1/stores/{storeId}/offline-sales/numbering': {
        get: {
          summary:
            'Every range of the store, per terminal: numbers issued, voided, reported unused and missing',
          description:
            'One row per resolution ever assigned to a terminal. `missingCount` counts the numbers between the ' +
            "range's start and the highest number issued or reported unused that are neither; `missing` lists " +
            'the first 100 runs of them.',
          security: auth,
          parameters: [storeParam],
          responses: {
            '200': json('NumberingAccount', 'the account of every range'),
            ...errors(...commonErrors),
          },
        },
      },
      '/v1/stores/{storeId}/dian/reject-next': {
        post: {
          summary:
            'Reference cloud only (a demo switch): the next document transmitted to the DIAN is rejected',
          description:
            'After an upload the reference cloud simulates the transmission to the DIAN: each invoice and credit ' +
            'note of the read-back goes from `dian.status` `pending` to `transmitted` (with its CUFE / CUDE, ' +
            'SHA-384 as the anexo técnico defines it, with a demo technical key) or `rejected` with a reason. ' +
            'This switch makes the next one `rejected` with the given reason, so that the path can be tried; a ' +
            'credit note of a rejected invoice is rejected too (`invoice-rejected`).',
          security: auth,
          parameters: [storeParam],
          requestBody: { required: true, content: { 'application/json': { schema: ref('DianRejectNext') } } },
          responses: {
            '202': { description: 'armed: answers `{armed: true, reason}`' },
            ...errors(...commonErrors, [400, '`invalid-body`']),
          },
        },
      },
      '/v1/stores/{storeId}/inventory': {
        get: {
          summary: 'Stock on hand per SKU (may be negative: the sale happened)',
          security: auth,
          parameters: [storeParam],
          responses: { '200': json('Inventory', 'stock per SKU'), ...errors(...commonErrors) },
        },
      },
    },
  };
}

export function openApiYaml(): string {
  return `# Generated by \`npm run openapi\` from src/contract/cloud.ts — do not edit by hand.\n${stringify(openApiDocument(), { lineWidth: 0 })}`;
}
