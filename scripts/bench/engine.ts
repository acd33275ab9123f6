// The engine's side of `npm run bench`: trains one workload in this process through the same
// job runner the CLI uses, and prints one JSON line with its speed, accuracy, CPU use and peak
// memory. Usage: node --import tsx scripts/bench/engine.ts <workload.json>
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BackendPreference } from '../../src/core/backend';
import { silentLogger } from '../../src/core/log';
import { RunStore } from '../../src/core/runs/store';
import type { RunReport } from '../../src/core/runs/report';
import type { TrainerEvent } from '../../src/protocol/events';
import { runJob } from '../../src/trainer/run-job';

/** One workload, shared with the PyTorch side (torch_bagging.py reads the same file). */
interface Workload {
  name: string;
  /** An ensemble config, written beside a temporary store; paths must be absolute. */
  config: Record<string, unknown>;
  members: number;
  epochs: number;
  trainRows: number;
  backend?: BackendPreference;
}

/** One trainer event, when it came, and the process's CPU time (all threads) by then. */
interface Stamped {
  event: TrainerEvent;
  at: number;
  cpu: NodeJS.CpuUsage;
}

/**
 * The fit window, from the first member starting to the last member finishing: its wall time
 * in seconds and the cores busy on average through it (CPU time of every thread, workers
 * included, over wall time).
 */
function fitWindow(events: Stamped[]): { seconds: number; cores: number } {
  const first = events.find((e) => e.event.type === 'member-started')!;
  const last = events.filter((e) => e.event.type === 'member-done').at(-1)!;
  const seconds = (last.at - first.at) / 1000;
  const cpu = last.cpu.user + last.cpu.system - (first.cpu.user + first.cpu.system);
  return { seconds, cores: cpu / 1e6 / seconds };
}

/** Each member's own training time (its fit, without predicting), in seconds. */
function memberFitSeconds(events: Stamped[]): number[] {
  return events.flatMap((e) => (e.event.type === 'member-done' ? [e.event.fitMs / 1000] : []));
}

async function main(path: string, dir: string): Promise<void> {
  const workload = JSON.parse(readFileSync(path, 'utf8')) as Workload;
  const configPath = join(dir, `${workload.name}.ensemble.json`);
  writeFileSync(configPath, JSON.stringify(workload.config, null, 2));

  const events: Stamped[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const storeRoot = join(dir, '.ensemble-lab');
  const backend = workload.backend ?? 'auto';
  const outcome = await runJob(
    { kind: 'train', configPath, storeRoot, backend },
    {
      emit: (event) => events.push({ event, at: performance.now(), cpu: process.cpuUsage() }),
      logger: silentLogger,
    },
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  const fit = fitWindow(events);
  const result = {
    side: 'ensemble-lab',
    workload: workload.name,
    backend: run.manifest.backend,
    fitSeconds: fit.seconds,
    memberFitSeconds: memberFitSeconds(events),
    memberSamplesPerSecond: (workload.members * workload.epochs * workload.trainRows) / fit.seconds,
    testAccuracy: report?.ensemble.metrics.accuracy,
    fitCpuUtilisation: fit.cores,
    cpuUtilisation: (cpu.user + cpu.system) / 1e6 / wall,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const workDir = mkdtempSync(join(tmpdir(), 'ensemble-lab-bench-'));
void main(process.argv[2], workDir).finally(() =>
  rmSync(workDir, { recursive: true, force: true }),
);
