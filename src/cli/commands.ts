import { writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { initBackend } from '../core/backend';
import { loadConfig } from '../core/config/load';
import { readSource } from '../core/data/prepare';
import { argmaxAt } from '../core/ensembles/combine';
import { stderrLogger } from '../core/log';
import type { RunReport } from '../core/runs/report';
import { predictWithRun, type Predictions } from '../core/runs/predict';
import { RunStore } from '../core/runs/store';
import type { Job } from '../trainer/job';
import { runJob } from '../trainer/run-job';
import { formatLeaderboard, table } from './leaderboard';
import type { CommonOptions } from './main';
import { progressReporter } from './progress';

export async function trainCommand(job: Job, options: CommonOptions): Promise<void> {
  const logger = stderrLogger(options.verbose ? 'debug' : 'warn');
  const progress = progressReporter(process.stderr.isTTY === true);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);

  try {
    const outcome = await runJob(job, {
      emit: progress.onEvent,
      logger,
      signal: controller.signal,
    });
    progress.stop();
    const run = new RunStore(job.storeRoot).open(outcome.runId);
    if (outcome.status === 'cancelled') {
      process.stderr.write(
        `run ${outcome.runId} cancelled; "ensemble-lab resume ${outcome.runId}" finishes it\n`,
      );
      process.exitCode = 130;
      return;
    }
    const report = run.readJson<RunReport>('report.json');
    const config = run.readJson<{ evaluation: { metrics: string[] } }>('config.json');
    if (report)
      process.stdout.write(
        `${formatLeaderboard(report, config?.evaluation.metrics)}\nrun: ${run.id}\n`,
      );
  } finally {
    progress.stop();
    process.off('SIGINT', onSignal);
  }
}

export async function validateCommand(configPath: string): Promise<void> {
  const config = await loadConfig(configPath);
  process.stdout.write(
    `${configPath}: valid (${config.members.length} members, ${config.ensemble.method})\n`,
  );
}

export function runsCommand(store: RunStore): void {
  const runs = store.list();
  if (runs.length === 0) {
    process.stdout.write(`no runs in ${store.runsDir}\n`);
    return;
  }
  const rows = runs.map((r) => {
    const done = r.members.filter((m) => m.status === 'done').length;
    const headline = r.metrics
      ? Object.entries(r.metrics).find(([k]) => k === 'accuracy' || k === 'r2')
      : undefined;
    return [
      r.id,
      r.status,
      r.configName,
      `${done}/${r.members.length}`,
      headline ? `${headline[0]} ${headline[1].toFixed(4)}` : '',
      r.backend,
    ];
  });
  process.stdout.write(
    `${table([['run', 'status', 'config', 'members', 'score', 'backend'], ...rows])}\n`,
  );
}

export function showCommand(store: RunStore, runId: string): void {
  const run = store.open(runId);
  const report = run.readJson<RunReport>('report.json');
  if (!report) {
    const done = run.manifest.members.filter((m) => m.status === 'done').map((m) => m.name);
    process.stdout.write(
      `run ${run.id} is ${run.manifest.status}; finished members: ${done.join(', ') || 'none'}\n`,
    );
    return;
  }
  process.stdout.write(`${formatLeaderboard(report)}\n`);
}

export async function predictCommand(
  store: RunStore,
  runId: string,
  file: string,
  options: CommonOptions & { output?: string },
): Promise<void> {
  const run = store.open(runId);
  await initBackend(options.backend, stderrLogger('warn'));
  const format = ['.parquet', '.pq'].includes(extname(file).toLowerCase()) ? 'parquet' : 'csv';
  const table = await readSource({ kind: 'table', path: file, format });
  const csv = predictionsCsv(await predictWithRun(run, table));
  if (options.output) writeFileSync(options.output, csv);
  else process.stdout.write(csv);
}

export async function deleteCommand(store: RunStore, runId: string): Promise<void> {
  const id = await store.delete(runId);
  process.stdout.write(`deleted run ${id}\n`);
}

function predictionsCsv(p: Predictions): string {
  const { data, outputs, width } = p;
  if (data.task === 'regression')
    return `prediction\n${Array.from(outputs, (v) => String(v)).join('\n')}\n`;

  const header = ['prediction', ...data.classes.map((c) => `p_${c}`)].join(',');
  const lines = Array.from({ length: data.rows }, (_, r) => {
    const probs = Array.from(outputs.subarray(r * width, (r + 1) * width), (v) => v.toFixed(6));
    return [data.classes[argmaxAt(outputs, r * width, width)], ...probs].join(',');
  });
  return `${header}\n${lines.join('\n')}\n`;
}
