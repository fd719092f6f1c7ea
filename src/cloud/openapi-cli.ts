import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiYaml } from './openapi.js';

const target = resolve(import.meta.dirname, '../../../docs/cloud-api.yaml');
writeFileSync(target, openApiYaml());
console.log(`wrote ${target}`);
