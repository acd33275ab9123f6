import * as vscode from 'vscode';
import type { TrainerEvent } from '../../protocol/events';
import { formatMetric } from '../format';
import type { PanelHost } from '../panels';
import { headlineOf } from '../runs/summary';
import { settings } from '../settings';
import type { TrainingJob, TrainingManager } from './manager';
import { describeProgress, fractionDone } from './progress';

/**
 * Shows training: the log channel gets the trainer's log lines at their level, panels get live
 * events, a status bar item and a cancellable progress notification show member and epoch,
 * and the end of a run is one notification (errors with a "Show Log" button).
 */
export function showTraining(
  manager: TrainingManager,
  panels: PanelHost,
  log: vscode.LogOutputChannel,
): vscode.Disposable {
  const status = vscode.window.createStatusBarItem(
    'ensembleLab.training',
    vscode.StatusBarAlignment.Left,
    10,
  );
  status.name = 'Ensemble Lab Training';
  status.command = 'ensembleLab.stopRun';
  const progressUpdates = new Map<number, () => void>();

  const stopListening = manager.listen({
    onEvent: (job, event) => {
      logEvent(log, job, event);
      if (job.runDir) panels.onTrainerEvent(job.runDir, event);
      progressUpdates.get(job.id)?.();
      updateStatus(status, manager);
    },
    onOutput: (_job, line) => log.info(`[trainer] ${line}`),
    onChange: (job) => {
      updateStatus(status, manager);
      if (job.state === 'running' && !progressUpdates.has(job.id))
        showProgress(job, manager, progressUpdates);
    },
    onFinished: (job) => announce(job, log),
  });

  return { dispose: () => (stopListening(), status.dispose()) };
}

function logEvent(log: vscode.LogOutputChannel, job: TrainingJob, event: TrainerEvent): void {
  const run = job.runId ?? `job ${job.id}`;
  if (event.type === 'log') {
    const write = {
      trace: log.trace,
      debug: log.debug,
      info: log.info,
      warn: log.warn,
      error: log.error,
    }[event.level];
    write.call(log, `[${run}] ${event.message}`);
  } else if (event.type === 'run-started') {
    log.info(
      `[${run}] started ${event.configPath} on ${event.backend}, ${event.members.length} members`,
    );
  } else if (event.type === 'member-done') {
    const metric = headlineOf(event.metrics);
    log.info(
      `[${run}] ${event.member} done in ${(event.fitMs / 1000).toFixed(1)} s, ${event.epochsRun} epochs, ${formatMetric(metric, event.metrics[metric] ?? NaN)}`,
    );
  } else if (event.type === 'member-failed') {
    log.warn(`[${run}] ${event.member} failed: ${event.reason}`);
  } else if (event.type === 'run-failed') {
    log.error(`[${run}] failed: ${event.reason}`);
  } else if (event.type === 'run-cancelled' || event.type === 'run-done') {
    log.info(`[${run}] ${event.type === 'run-done' ? 'completed' : 'cancelled'}`);
  }
}

function updateStatus(status: vscode.StatusBarItem, manager: TrainingManager): void {
  const jobs = manager.active();
  const running = jobs.find((job) => job.state === 'running');
  void vscode.commands.executeCommand('setContext', 'ensembleLab.training', running !== undefined);
  if (!running) return status.hide();

  const queued = jobs.filter((job) => job.state === 'queued').length;
  const name = running.progress.configName ?? 'ensemble';
  status.text = `$(sync~spin) ${name}: ${describeProgress(running.progress)}${queued ? ` (+${queued} queued)` : ''}`;
  status.tooltip = 'Ensemble Lab is training; click to stop the run';
  status.show();
}

function showProgress(
  job: TrainingJob,
  manager: TrainingManager,
  updates: Map<number, () => void>,
): void {
  if (!settings.showProgressNotification()) return;
  const title = `Training ${job.configPath.split(/[\\/]/).pop() ?? 'ensemble'}`;
  void vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    (progress, token) =>
      new Promise<void>((done) => {
        let reported = 0;
        token.onCancellationRequested(() => manager.stop(job));
        updates.set(job.id, () => {
          const fraction = fractionDone(job.progress);
          progress.report({
            message: describeProgress(job.progress),
            increment: Math.max(0, (fraction - reported) * 100),
          });
          reported = Math.max(reported, fraction);
        });
        const stop = manager.listen({
          onFinished: (j) => j === job && (updates.delete(job.id), stop(), done()),
        });
      }),
  );
}

function announce(job: TrainingJob, log: vscode.LogOutputChannel): void {
  const name = job.progress.configName ?? job.configPath.split(/[\\/]/).pop();
  if (job.outcome === 'failed') return showFailure(job, log);
  if (job.outcome === 'interrupted') {
    void vscode.window
      .showWarningMessage(
        `Ensemble Lab: the trainer of ${name} stopped without finishing the run; it is kept as interrupted.`,
        'Show Log',
      )
      .then((c) => c && log.show());
    return;
  }
  if (job.outcome !== 'completed' || !settings.notifyOnCompletion() || !job.runDir) return;
  const runDir = job.runDir;
  void vscode.window
    .showInformationMessage(`Ensemble Lab: ${name} finished training.`, 'Open Leaderboard')
    .then(
      (choice) => choice && vscode.commands.executeCommand('ensembleLab.openLeaderboard', runDir),
    );
}

function showFailure(job: TrainingJob, log: vscode.LogOutputChannel): void {
  const message = job.error?.message ?? 'the run failed; the log says why';
  if (job.error && !job.error.expected) log.error(`Trainer error: ${job.error.message}`);
  if (settings.revealLogOnFailure()) log.show(true);
  void vscode.window
    .showErrorMessage(`Ensemble Lab: ${message}`, 'Show Log')
    .then((choice) => choice && log.show());
}
