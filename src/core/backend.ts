import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Loading tfjs-layers registers every op's gradient (tfjs-core alone registers none); it must
// happen before installWasmConvGradient replaces one of them, or it would overwrite it.
import '@tensorflow/tfjs-layers';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { UserError } from './errors';
import { backendsDir } from './native-backend/home';
import { backendSlots, type BackendSlot, type InstalledBackend } from './native-backend/installed';
import { installWasmConvGradient } from './training/conv-gradient';
import { installWasmMatMul } from './training/wasm-matmul';
import type { Logger } from './log';

/** The TF.js backends the engine knows how to start. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** `auto` picks the fastest backend that loads: tfjs-node, then wasm, then cpu. */
export type BackendPreference = 'auto' | BackendName;

/** The backend in use and why it was chosen, recorded in every run. */
export interface BackendChoice {
  name: BackendName;
  reason: string;
}

/** What one attempt to start a backend found: a short reason when it failed. */
type Attempt = { ok: true; detail: string } | { ok: false; reason: string };

// Kept apart from the literal `require(...)` form so bundlers do not try to inline it.
const TFJS_NODE = ['@tensorflow', 'tfjs-node'].join('/');

let current: BackendChoice | undefined;

/**
 * Starts a TF.js backend. `auto` tries `@tensorflow/tfjs-node` (optional, often absent or
 * unable to load its native library: first where Node resolves it, then in the per-user
 * folder `ensemble-lab backend install` fills), then WebAssembly, then plain JavaScript; a
 * backend asked for by name that cannot load is a UserError. Calling it again with the same
 * preference returns the earlier choice.
 */
export async function initBackend(
  preference: BackendPreference,
  logger: Logger,
): Promise<BackendChoice> {
  if (current && (preference === 'auto' || preference === current.name)) return current;

  const choice = preference === 'auto' ? await chooseAuto() : await chooseForced(preference);
  logger.log('info', `TensorFlow.js backend: ${choice.name} (${choice.reason})`);
  current = choice;
  return choice;
}

async function chooseAuto(): Promise<BackendChoice> {
  const skipped: string[] = [];

  for (const name of ['tensorflow', 'wasm', 'cpu'] as const) {
    const attempt = await tryBackend(name);
    if (attempt.ok) {
      const prefix = skipped.length > 0 ? `${skipped.join('; ')}; ` : '';
      return { name, reason: `${prefix}using ${name} (${attempt.detail})` };
    }
    skipped.push(attempt.reason);
  }
  throw new Error(`no TensorFlow.js backend could start: ${skipped.join('; ')}`);
}

async function chooseForced(name: BackendName): Promise<BackendChoice> {
  const attempt = await tryBackend(name);
  if (attempt.ok) return { name, reason: `requested (${attempt.detail})` };

  const hint =
    name === 'tensorflow'
      ? 'install it with "ensemble-lab backend install" (in VS Code "Ensemble Lab: Install ' +
        'Native Backend") or use the wasm backend'
      : 'use --backend auto or --backend cpu';
  throw new UserError(`backend "${name}" is not available: ${attempt.reason}; ${hint}`);
}

function tryBackend(name: BackendName): Promise<Attempt> {
  if (name === 'tensorflow') return tryTfjsNode();
  if (name === 'wasm') return tryWasm();
  return activate('cpu', 'pure JavaScript');
}

/** tfjs-node where Node's module resolution finds it, else in the per-user folder. */
async function tryTfjsNode(): Promise<Attempt> {
  try {
    // A plain require by a computed name: tfjs-node is an optional CommonJS package that
    // registers the 'tensorflow' backend on load, and bundlers must leave it out.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(TFJS_NODE);
  } catch (error) {
    if (!isMissing(error, TFJS_NODE)) {
      return { ok: false, reason: `tfjs-node failed to load (${firstLine(error)})` };
    }
    return tryInstalledNative();
  }
  return activate('tensorflow', 'native libtensorflow');
}

/** The backends `ensemble-lab backend install` put in the per-user folder, GPU build first. */
async function tryInstalledNative(): Promise<Attempt> {
  const skipped: string[] = [];
  for (const slot of backendSlots()) {
    if (!slot.installed) continue;
    const attempt = await loadInstalled(slot, slot.installed);
    if (attempt.ok) return { ok: true, detail: [attempt.detail, ...skipped].join('; ') };
    skipped.push(attempt.reason);
  }

  if (skipped.length > 0) return { ok: false, reason: skipped.join('; ') };
  return {
    ok: false,
    reason: `tfjs-node not installed (not in node_modules, nor in ${backendsDir()})`,
  };
}

async function loadInstalled(slot: BackendSlot, installed: InstalledBackend): Promise<Attempt> {
  const where = `${installed.package} ${installed.version} in ${slot.dir}`;
  try {
    createRequire(path.join(slot.dir, 'package.json'))(slot.package);
  } catch (error) {
    return { ok: false, reason: `${where} failed to load (${firstLine(error)})` };
  }

  if (!tf.findBackendFactory('tensorflow')) {
    return { ok: false, reason: `${where} loaded but registered no tensorflow backend` };
  }
  return activate('tensorflow', `native libtensorflow, ${where}`);
}

/** True when `error` says that `name` itself (not one of its own imports) is not installed. */
function isMissing(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'MODULE_NOT_FOUND' && firstLine(error).includes(`'${name}'`);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

async function tryWasm(): Promise<Attempt> {
  if (tf.getBackend() !== 'wasm') {
    const attempt = pointAtWasmFiles();
    if (!attempt.ok) return attempt;
  }
  const started = await withoutNewCrashHandlers(() => activate('wasm', ''));
  if (!started.ok) return started;
  installWasmConvGradient();
  installWasmMatMul();

  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  // Threads stay off in Node: tfjs-backend-wasm only runs its threaded build in browsers.
  return { ok: true, detail: `${simd ? 'SIMD' : 'no SIMD'}, 1 thread` };
}

/** Tells the wasm backend where its `.wasm` files are: next to the installed package. */
function pointAtWasmFiles(): Attempt {
  try {
    const manifest = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
    setWasmPaths(path.join(path.dirname(manifest), 'dist') + path.sep);
    return { ok: true, detail: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `wasm files not found (${message.split('\n')[0]})` };
  }
}

async function activate(name: string, detail: string): Promise<Attempt> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return { ok: false, reason: `${name} backend failed to initialize` };
    await tf.ready();
    return { ok: true, detail };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `${name} backend failed (${message.split('\n')[0]})` };
  }
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
type Listener = (...args: unknown[]) => void;

/**
 * Runs `start` and then removes the process-wide error handlers it added. The wasm module's
 * Emscripten glue installs handlers that rethrow every uncaught error, which makes Node print
 * a line of minified glue code instead of the real error and overrides the caller's handlers.
 */
async function withoutNewCrashHandlers<T>(start: () => Promise<T>): Promise<T> {
  const events: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];
  const before = new Map(events.map((event) => [event, listenersOf(event)]));
  try {
    return await start();
  } finally {
    for (const event of events) {
      const added = listenersOf(event).filter((l) => !before.get(event)?.includes(l));
      added.forEach((listener) => emitter().removeListener(event, listener));
    }
  }
}

function listenersOf(event: ProcessEvent): Listener[] {
  return emitter().listeners(event) as Listener[];
}

/** `process` seen as a plain event emitter: its typed overloads do not take a union. */
function emitter(): NodeJS.EventEmitter {
  return process;
}
