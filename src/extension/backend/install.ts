import * as vscode from 'vscode';
import type { Logger } from '../../core/log';
import { TFJS_NODE_VERSION } from '../../core/native-backend/home';
import {
  BackendInstallError,
  installNativeBackend,
  type InstallResult,
} from '../../core/native-backend/install';
import { settings } from '../settings';
import { ensureTrusted } from '../trust';

/**
 * "Install Native Backend": installs tfjs-node (or -gpu) into the per-user folder with a
 * cancellable progress notification, npm's output in the log, and one closing message.
 * Refused in Restricted Mode, since npm runs the package's install script.
 */
export async function installNativeBackendCommand(log: vscode.LogOutputChannel): Promise<void> {
  if (!ensureTrusted('install the native backend')) return;
  const gpu = await pickBuild();
  if (gpu === undefined) return;

  try {
    const result = await withProgress(gpu, channelLogger(log));
    await reportInstalled(result, log);
  } catch (error) {
    if (!(error instanceof BackendInstallError)) throw error;
    if (error.cancelled) {
      log.info(error.message);
      void vscode.window.showInformationMessage(
        'Ensemble Lab: install cancelled; nothing changed.',
      );
      return;
    }
    log.error(error.message);
    const choice = await vscode.window.showErrorMessage(
      `Ensemble Lab: ${error.message}`,
      'Show Log',
    );
    if (choice) log.show();
  }
}

/** The CPU build everywhere; on Linux and Windows the CUDA build can be picked instead. */
async function pickBuild(): Promise<boolean | undefined> {
  if (process.platform === 'darwin') return false;
  const items = [
    { label: 'tfjs-node', description: 'CPU', gpu: false },
    { label: 'tfjs-node-gpu', description: 'NVIDIA GPU: needs CUDA 11.2 and cuDNN 8', gpu: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'Install Native Backend' });
  return picked?.gpu;
}

function withProgress(gpu: boolean, logger: Logger): Thenable<InstallResult> {
  const name = gpu ? 'tfjs-node-gpu' : 'tfjs-node';
  const options = {
    location: vscode.ProgressLocation.Notification,
    title: `Ensemble Lab: installing ${name} ${TFJS_NODE_VERSION}`,
    cancellable: true,
  };
  return vscode.window.withProgress(options, (progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    progress.report({ message: 'npm install, then libtensorflow is downloaded' });
    return installNativeBackend({ gpu, logger, signal: controller.signal });
  });
}

async function reportInstalled(result: InstallResult, log: vscode.LogOutputChannel): Promise<void> {
  const { installed } = result;
  const unused = settings.backend() === 'wasm' || settings.backend() === 'cpu';
  const note = unused
    ? `; ensembleLab.trainer.backend is "${settings.backend()}", so set it to "auto" to use it`
    : '; new trainings use it';
  log.info(`${installed.package} ${installed.version} installed in ${result.dir}`);
  const open = unused ? ['Open Setting'] : [];
  const choice = await vscode.window.showInformationMessage(
    `Ensemble Lab: ${installed.package} ${installed.version} installed${note}.`,
    ...open,
  );
  if (choice) {
    await vscode.commands.executeCommand(
      'workbench.action.openSettings',
      'ensembleLab.trainer.backend',
    );
  }
}

/** The engine's logger onto the extension's log channel. */
function channelLogger(log: vscode.LogOutputChannel): Logger {
  return { log: (level, message) => log[level](message) };
}
