#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// V8 lets the heap grow to several times what is live before a full collection: a province
// assessment with about 95 MB live reached 528 MB RSS, 305 MB with growth capped at 1.5x the live
// heap, in the same time. A growth factor, not a limit: nothing fails when more is live. It is read
// at each collection, so setting it here works; `node --heap-growing-percent=N` still wins.
if (!process.execArgv.some((flag) => flag.startsWith('--heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=50');

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('redprop is not built yet: run `npm run build` (npm ci does it for you).\n');
  process.exit(1);
}
await import(entry.href);
