import { homedir } from 'node:os';
import { join } from 'node:path';

/** The native backends the installer knows, each the npm package it installs. */
export const NATIVE_PACKAGES = {
  'tfjs-node': '@tensorflow/tfjs-node',
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
} as const;

export type NativeBackendName = keyof typeof NATIVE_PACKAGES;

/** The order the loader tries them in: the GPU build first, since it is installed on purpose. */
export const NATIVE_BACKEND_NAMES: readonly NativeBackendName[] = ['tfjs-node-gpu', 'tfjs-node'];

/** The version installed by default: it must match the tfjs-core this engine is built on. */
export const TFJS_NODE_VERSION = '4.22.0';

/** Written last into an installed backend's folder: a folder without it is never loaded. */
export const INSTALLED_FILE = 'installed.json';

/**
 * The per-user folder outside every workspace and the extension, where native backends are
 * installed: `$ENSEMBLE_LAB_HOME`, else `~/.ensemble-lab`. Read on each call, so tests and
 * users can point it elsewhere.
 */
export function ensembleLabHome(): string {
  const override = process.env.ENSEMBLE_LAB_HOME;
  return override && override.trim() !== '' ? override : join(homedir(), '.ensemble-lab');
}

/** `<home>/backends`: one folder per installed backend, each its own npm prefix. */
export function backendsDir(): string {
  return join(ensembleLabHome(), 'backends');
}

/** `<home>/backends/<name>`: where one backend lives once it is installed. */
export function backendDir(name: NativeBackendName): string {
  return join(backendsDir(), name);
}

/** Where npm's output of the last install of a backend is kept. */
export function installLogFile(name: NativeBackendName): string {
  return join(backendsDir(), `${name}-install.log`);
}
