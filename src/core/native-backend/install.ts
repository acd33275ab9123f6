import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log';
import { describeFailure } from './failure';
import {
  INSTALLED_FILE,
  NATIVE_PACKAGES,
  TFJS_NODE_VERSION,
  backendDir,
  backendsDir,
  installLogFile,
  type NativeBackendName,
} from './home';
import type { InstalledBackend } from './installed';
import { runNpm } from './npm';
import { checkLoads, packageJsonPath } from './verify';

/** What to install and how long to wait for it. */
export interface InstallOptions {
  /** Install `@tensorflow/tfjs-node-gpu` (CUDA on Linux and Windows) instead of the CPU build. */
  gpu?: boolean;
  /**
   * What npm installs: default `<package>@4.22.0`. A tarball or a mirror's version works too,
   * as long as it is the same package name.
   */
  spec?: string;
  logger: Logger;
  /** npm is stopped after this long; default 15 minutes (libtensorflow is a large download). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** The Node runtime that must be able to load the package; default this process's. */
  execPath?: string;
}

/** A finished install: what is now in place, and where npm's output was kept. */
export interface InstallResult {
  installed: InstalledBackend;
  dir: string;
  logFile: string;
}

/** An install that failed: the message says what failed and what to do; nothing was changed. */
export class BackendInstallError extends Error {
  constructor(
    message: string,
    readonly logFile: string,
    /** True when the caller's signal stopped it. */
    readonly cancelled = false,
  ) {
    super(message);
    this.name = 'BackendInstallError';
  }
}

/**
 * Installs a native TF.js backend into `<home>/backends/<name>`. npm installs into a staging
 * folder beside it, which then takes the old one's place; only once the package loads there,
 * in a child process, is `installed.json` written (the loader skips a folder without it) and
 * the old one removed. A failure puts the backend installed before, if any, back as it was and
 * leaves no staging folder.
 */
export async function installNativeBackend(options: InstallOptions): Promise<InstallResult> {
  const name: NativeBackendName = options.gpu ? 'tfjs-node-gpu' : 'tfjs-node';
  const pkg = NATIVE_PACKAGES[name];
  const spec = options.spec ?? `${pkg}@${TFJS_NODE_VERSION}`;
  const logFile = installLogFile(name);
  const staging = await prepareStaging(name, logFile);

  try {
    options.logger.log('info', `Installing ${spec} into ${backendDir(name)} (log: ${logFile})`);
    const version = await npmInstall(staging, pkg, spec, logFile, options);
    const installed = await moveIntoPlace(staging, name, async (dir) => {
      const backend = await verify(dir, pkg, logFile, options.execPath);
      const record = { name, package: pkg, version, spec, installedAt: now(), backend };
      await writeFile(join(dir, INSTALLED_FILE), `${JSON.stringify(record, null, 2)}\n`);
      return record;
    });
    options.logger.log('info', `Installed ${pkg} ${version} in ${backendDir(name)}`);
    return { installed, dir: backendDir(name), logFile };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function prepareStaging(name: NativeBackendName, logFile: string): Promise<string> {
  await mkdir(backendsDir(), { recursive: true });
  await removeAbandoned();
  await writeFile(logFile, `${now()} install ${name}\n`);

  const staging = await mkdtemp(join(backendsDir(), `.staging-${process.pid}-`));
  const manifest = { private: true, description: `Ensemble Lab's ${name} backend` };
  await writeFile(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return staging;
}

async function npmInstall(
  staging: string,
  pkg: string,
  spec: string,
  logFile: string,
  options: InstallOptions,
): Promise<string> {
  const args = ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', staging, spec];
  const timeoutMs = options.timeoutMs ?? 15 * 60_000;
  const { logger, signal } = options;
  const outcome = await runNpm({ args, cwd: staging, logger, logFile, timeoutMs, signal });
  if (outcome.code !== 0) {
    const output = readFileSync(logFile, 'utf8');
    const what = describeFailure({ pkg, spec, outcome, output, timeoutMs });
    throw failure(what, logFile, outcome.cancelled);
  }

  const manifest = packageJsonPath(staging, pkg);
  if (!existsSync(manifest)) {
    throw failure(`npm installed ${spec}, but it is not the package ${pkg}`, logFile);
  }
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function verify(
  dir: string,
  pkg: string,
  logFile: string,
  execPath?: string,
): Promise<string | null> {
  const check = await checkLoads(dir, pkg, execPath);
  if (check.ok) return check.backend;
  throw failure(`${pkg} installed but does not load (${check.reason})`, logFile);
}

function failure(what: string, logFile: string, cancelled = false): BackendInstallError {
  return new BackendInstallError(
    `${what}; training goes on with the wasm backend (npm's output: ${logFile})`,
    logFile,
    cancelled,
  );
}

/**
 * Swaps the staging folder in and checks it where it will stay (a native addon may not like
 * being moved): the old backend is renamed aside, the new one renamed into place and checked,
 * then the old one removed. A failed rename or check puts the old one back; a process killed
 * meanwhile leaves it aside, and the next install puts it back.
 */
async function moveIntoPlace<T>(
  staging: string,
  name: NativeBackendName,
  check: (dir: string) => Promise<T>,
): Promise<T> {
  const target = backendDir(name);
  const aside = join(backendsDir(), `.old-${process.pid}-${name}`);
  const hadOld = existsSync(target);
  if (hadOld) await rename(target, aside);

  try {
    await rename(staging, target);
    const result = await check(target);
    await rm(aside, { recursive: true, force: true });
    return result;
  } catch (error) {
    await rm(target, { recursive: true, force: true });
    if (hadOld) await rename(aside, target);
    throw error;
  }
}

/**
 * Cleans up after an installer process that was killed: its staging folders are removed, and
 * a backend it had set aside goes back into place unless a newer one is there.
 */
async function removeAbandoned(): Promise<void> {
  for (const entry of await readdir(backendsDir())) {
    const [, kind, pid, name] = /^\.(staging|old)-(\d+)-(.*)$/.exec(entry) ?? [];
    if (pid === undefined || isRunning(Number(pid))) continue;

    const path = join(backendsDir(), entry);
    const slot = name in NATIVE_PACKAGES ? backendDir(name as NativeBackendName) : undefined;
    if (kind === 'old' && slot && !existsSync(join(slot, INSTALLED_FILE))) {
      // The killed process had moved its new backend in but not finished checking it.
      await rm(slot, { recursive: true, force: true });
      await rename(path, slot);
    } else await rm(path, { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function now(): string {
  return new Date().toISOString();
}
