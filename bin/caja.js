#!/usr/bin/env node
// The `caja` command. The TypeScript sources are compiled to dist/ by `npm install` (prepare).
import { register } from 'node:module';

// automerge-repo's throttles must follow a monotonic clock, not the wall clock (CLK3): the hook
// is registered before the modules it changes are loaded.
register('../dist/src/host/monotonic-throttle.js', import.meta.url);
const { main } = await import('../dist/src/host/cli.js');

const code = await main(process.argv.slice(2));
if (code !== 0) process.exit(code);
