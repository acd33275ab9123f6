import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  INSTALLED_FILE,
  NATIVE_BACKEND_NAMES,
  NATIVE_PACKAGES,
  backendDir,
  type NativeBackendName,
} from './home';

/** What `installed.json` in a backend's folder says: written by the installer as its last step. */
export interface InstalledBackend {
  name: NativeBackendName;
  /** The npm package name, e.g. `@tensorflow/tfjs-node`. */
  package: string;
  /** The installed package's own version. */
  version: string;
  /** What was handed to `npm install`: `@tensorflow/tfjs-node@4.22.0`, or a tarball. */
  spec: string;
  /** ISO time of the install. */
  installedAt: string;
  /** The backend the package made current when loaded in a child process; null if none. */
  backend: string | null;
}

/** One slot of the per-user folder, as `backend status` shows it. */
export interface BackendSlot {
  name: NativeBackendName;
  package: string;
  dir: string;
  /** Null when nothing (complete) is installed there. */
  installed: InstalledBackend | null;
}

/** Reads a backend's `installed.json`; undefined when the folder or the file is missing. */
export function readInstalled(name: NativeBackendName): InstalledBackend | undefined {
  try {
    const text = readFileSync(join(backendDir(name), INSTALLED_FILE), 'utf8');
    return JSON.parse(text) as InstalledBackend;
  } catch {
    return undefined;
  }
}

/** Every slot of the per-user folder, in the order the loader tries them. */
export function backendSlots(): BackendSlot[] {
  return NATIVE_BACKEND_NAMES.map((name) => ({
    name,
    package: NATIVE_PACKAGES[name],
    dir: backendDir(name),
    installed: readInstalled(name) ?? null,
  }));
}
