import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openDb } from '../../src/cloud/db.js';
import { openApiYaml } from '../../src/cloud/openapi.js';
import { buildCloudServer } from '../../src/cloud/server.js';

const committed = readFileSync(resolve(import.meta.dirname, '../../docs/cloud-api.yaml'), 'utf8');

describe('docs/cloud-api.yaml', () => {
  it('is what the contract schemas generate (run `npm run openapi` after changing them)', () => {
    expect(committed).toBe(openApiYaml());
  });

  it('documents exactly the routes the reference cloud serves', async () => {
    const doc = parse(committed) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const db = openDb(':memory:');
    const app = buildCloudServer({ db });
    await app.ready();
    const documented: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        documented.push(`${method.toUpperCase()} ${url}`);
        expect(app.hasRoute({ method: method.toUpperCase(), url }), `${method} ${url}`).toBe(true);
      }
    }
    expect(documented).toHaveLength(15);
    await app.close();
    db.close();
  });
});
