import { initBackend, type BackendChoice } from '../core/backend';
import { stderrLogger, type Logger } from '../core/log';
import { backendsDir, ensembleLabHome } from '../core/native-backend/home';
import { backendSlots, readInstalled, type BackendSlot } from '../core/native-backend/installed';
import {
  BackendInstallError,
  installNativeBackend,
  type InstallResult,
} from '../core/native-backend/install';
import { printJson } from './output';

/** Options of `backend install`. */
export interface InstallCommandOptions {
  gpu?: boolean;
  /** An npm spec to install instead of `@tensorflow/tfjs-node@4.22.0` (a tarball, a mirror). */
  package?: string;
  json?: boolean;
  verbose?: boolean;
}

/** What `backend install --json` prints: `error` is set (and `installed` null) on failure. */
export interface InstallJson {
  installed: InstallResult['installed'] | null;
  dir: string | null;
  logFile: string;
  error?: string;
}

/**
 * Installs tfjs-node (or -gpu) into the per-user folder, npm's output on standard error. A
 * failed install is one line naming the cause and npm's log file, with exit code 1; Ctrl+C
 * stops npm and leaves the folder as it was (exit code 130).
 */
export async function backendInstallCommand(options: InstallCommandOptions): Promise<void> {
  const logger = stderrLogger(options.verbose ? 'debug' : 'info');
  try {
    const result = await installWithCtrlC({ ...options, logger });
    if (options.json) printJson(result satisfies InstallJson);
    else process.stdout.write(`${installedLine(result)}\n`);
  } catch (error) {
    if (!(error instanceof BackendInstallError)) throw error;
    const failed: InstallJson = { installed: null, dir: null, logFile: error.logFile };
    if (options.json) printJson({ ...failed, error: error.message });
    process.stderr.write(`error: ${error.message}\n`);
    process.exitCode = error.cancelled ? 130 : 1;
  }
}

function installedLine({ installed, dir }: InstallResult): string {
  const line = `installed ${installed.package} ${installed.version} in ${dir}`;
  if (installed.backend === 'tensorflow') return line;
  return `${line}, but loading it registered no tensorflow backend: --backend auto will skip it`;
}

/**
 * `--install-backend` on the training commands: installs tfjs-node unless it is installed
 * already. A failure is one warning; training then goes on with the backend `auto` finds.
 */
export async function installBeforeTraining(verbose: boolean): Promise<void> {
  const existing = readInstalled('tfjs-node');
  const notes = stderrLogger('info');
  if (existing) {
    notes.log('info', `tfjs-node ${existing.version} is installed already; not installing it`);
    return;
  }

  try {
    const result = await installWithCtrlC({ logger: stderrLogger(verbose ? 'debug' : 'warn') });
    notes.log('info', installedLine(result));
  } catch (error) {
    if (!(error instanceof BackendInstallError)) throw error;
    notes.log('warn', error.message);
  }
}

async function installWithCtrlC(
  options: Omit<InstallCommandOptions, 'json'> & { logger: Logger },
): Promise<InstallResult> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const { gpu, logger } = options;
    return await installNativeBackend({
      gpu,
      spec: options.package,
      logger,
      signal: controller.signal,
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** What `backend status --json` prints. */
export interface StatusJson {
  home: string;
  backendsDir: string;
  backends: BackendSlot[];
  /** What `--backend auto` chooses on this machine now, and why. */
  auto: BackendChoice;
}

/** Lists what is installed in the per-user folder and which backend `auto` chooses, and why. */
export async function backendStatusCommand(options: { json?: boolean }): Promise<void> {
  const backends = backendSlots();
  const auto = await initBackend('auto', stderrLogger('error'));
  if (options.json) {
    printJson({ home: ensembleLabHome(), backendsDir: backendsDir(), backends, auto });
    return;
  }

  const width = Math.max(...backends.map((b) => b.name.length));
  const lines = backends.map((b) => `  ${b.name.padEnd(width)}  ${slotText(b)}`);
  process.stdout.write(`native backends in ${backendsDir()}:\n${lines.join('\n')}\n`);
  process.stdout.write(`auto chooses ${auto.name}: ${auto.reason}\n`);
}

function slotText(slot: BackendSlot): string {
  if (!slot.installed) return 'absent';
  const { package: pkg, version, installedAt } = slot.installed;
  return `${pkg} ${version}, installed ${installedAt}`;
}
