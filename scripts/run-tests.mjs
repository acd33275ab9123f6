// Finds every *.test.ts under src/ and test/ and runs them with node's own test runner.
// Node 20's --test does not expand globs, hence this small walker.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src', 'test'];
const files = roots.flatMap((root) =>
  readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.test.ts') && !f.includes('e2e'))
    .map((f) => join(root, f)),
);
files.sort();

const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
