import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** What loading an installed package in a separate Node process showed. */
export type LoadCheck = { ok: true; backend: string | null } | { ok: false; reason: string };

// Runs in the child: loads the package from the folder's own node_modules and prints one JSON
// line. An addon that crashes the process outright is caught by the parent as a signal.
const CHECK = `
const { createRequire } = require('node:module');
const [dir, name] = process.argv.slice(1);
try {
  const mod = createRequire(require('node:path').join(dir, 'package.json'))(name);
  const backend = typeof mod.getBackend === 'function' ? mod.getBackend() : null;
  console.log(JSON.stringify({ ok: true, backend: typeof backend === 'string' ? backend : null }));
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.log(JSON.stringify({ ok: false, reason: message.split('\\n')[0] }));
}
`;

/**
 * Loads `name` as installed under `dir` in a child process of `execPath` (Electron runs as
 * Node there), so a native addon that aborts cannot take the caller down with it.
 */
export function checkLoads(
  dir: string,
  name: string,
  execPath = process.execPath,
  timeoutMs = 120_000,
): Promise<LoadCheck> {
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  const args = ['-e', CHECK, dir, name];

  return new Promise((resolve) => {
    execFile(execPath, args, { env, timeout: timeoutMs, cwd: dir }, (error, stdout) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      if (last.startsWith('{')) return resolve(JSON.parse(last) as LoadCheck);
      resolve({ ok: false, reason: crashReason(error) });
    });
  });
}

function crashReason(error: (Error & { signal?: NodeJS.Signals | null }) | null): string {
  if (error?.signal) return `the process loading it died with ${error.signal}`;
  return error ? error.message.split('\n')[0] : 'the process loading it printed nothing';
}

/** The version in an installed package's own package.json, if it is there. */
export function packageJsonPath(dir: string, name: string): string {
  return join(dir, 'node_modules', ...name.split('/'), 'package.json');
}
