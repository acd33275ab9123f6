// The engine's side of `npm run bench`: trains one workload in this process through the same
// job runner the CLI uses, and prints one JSON line with its speed, accuracy, CPU use and peak
// memory. Usage: node --import tsx scripts/bench/engine.ts <workload.json>
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Wall time from the first member starting to the last member finishing, in seconds. */
function fitSeconds(events: { event: TrainerEvent; at: number }[]): number {
  const starts = events.filter((e) => e.event.type === 'member-started').map((e) => e.at);
  const ends = events.filter((e) => e.event.type === 'member-done').map((e) => e.at);
  return (Math.max(...ends) - Math.min(...starts)) / 1000;
}

async function main(path: string): Promise<void> {
  const workload = JSON.parse(readFileSync(path, 'utf8')) as Workload;
  const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-bench-'));
  const configPath = join(dir, `${workload.name}.ensemble.json`);
  writeFileSync(configPath, JSON.stringify(workload.config, null, 2));

  const events: { event: TrainerEvent; at: number }[] = [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const storeRoot = join(dir, '.ensemble-lab');
  const backend = workload.backend ?? 'auto';
  const outcome = await runJob(
    { kind: 'train', configPath, storeRoot, backend },
    { emit: (event) => events.push({ event, at: performance.now() }), logger: silentLogger },
  );
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  const fit = fitSeconds(events);
  const result = {
    side: 'ensemble-lab',
    workload: workload.name,
    backend: run.manifest.backend,
    fitSeconds: fit,
    memberSamplesPerSecond: (workload.members * workload.epochs * workload.trainRows) / fit,
    testAccuracy: report?.ensemble.metrics.accuracy,
    cpuUtilisation: (cpu.user + cpu.system) / 1e6 / wall,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main(process.argv[2]);
