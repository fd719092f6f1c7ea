#!/usr/bin/env node
// The `caja` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { main } from '../dist/src/host/cli.js';

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
