import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The project root, for the CLI and the examples. */
export const projectRoot = resolve(import.meta.dirname, '../../..');

/**
 * Trains an example config with the real CLI into a fresh temporary store and returns the
 * store's root (needs `npm run build` for dist/cli.js).
 */
export function trainExample(example: string): string {
  const store = mkdtempSync(join(tmpdir(), 'el-ext-'));
  const config = join(projectRoot, 'examples', example);
  execFileSync(
    process.execPath,
    [join(projectRoot, 'dist/cli.js'), 'train', config, '--store', store, '--backend', 'cpu'],
    {
      stdio: 'ignore',
    },
  );
  return store;
}
