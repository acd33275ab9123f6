// A member whose own code stops its worker thread (process.exit in a custom module, which
// stands for an out-of-memory abort or a native crash) fails alone: the run, and a sweep that
// keeps one pool for all its trials, go on with the other members on fresh workers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import type { SweepManifest } from '../src/core/sweep/store';
import { runJob } from '../src/trainer/run-job';
import { runSweep } from '../src/trainer/run-sweep';
import { workspace, writeConfig } from './helpers';

/** Iris, voting: a linear member, two small networks, and a custom member that exits. */
function config(method: string, sweep = ''): string {
  return `{
  "name": "iris-worker-exit",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [
    { "name": "linear", "model": "linear" },
    { "name": "exits", "model": "custom", "module": "exits.mjs" },
    { "name": "mlp", "model": "mlp", "hidden": [8], "count": 2 }
  ],
  "training": { "epochs": 5, "batchSize": 16, "learningRate": 0.05, "seed": 4 },
  "ensemble": { "method": "${method}" }${sweep}
}`;
}

/** A fresh workspace with the module that exits its thread with code 3 as it builds. */
function withExitingModule(): string {
  const dir = workspace();
  writeFileSync(join(dir, 'exits.mjs'), 'export default () => process.exit(3);\n');
  return dir;
}

async function train(method: string): Promise<RunReport> {
  const dir = withExitingModule();
  const configPath = writeConfig(dir, 'exit.ensemble.json', config(method));
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const hooks = { emit: () => undefined, logger: silentLogger };
  const outcome = await runJob({ ...job, parallel: 2 }, hooks);
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

/** Each member's status, by name (the report lists failed members last). */
const statuses = (report: RunReport): string[][] =>
  report.members.map((m) => [m.name, m.status]).sort(([a], [b]) => a.localeCompare(b));

describe('a voting run on two workers with a member that exits its worker', () => {
  let first: RunReport;
  let second: RunReport;

  before(async () => {
    first = await train('voting');
    second = await train('bagging');
  });

  test('records that member failed, naming the exit code', () => {
    const exits = first.members.find((m) => m.name === 'exits');
    assert.match(
      exits?.reason ?? '',
      /member worker stopped \(exit code 3\) while fitting member "exits"/,
    );
  });

  test('trains the other members', () => {
    assert.deepEqual(statuses(first), [
      ['exits', 'failed'],
      ['linear', 'done'],
      ['mlp-1', 'done'],
      ['mlp-2', 'done'],
    ]);
  });

  test('scores the ensemble of the others', () => {
    assert.ok(first.ensemble.metrics.accuracy > 0.5, `${first.ensemble.metrics.accuracy}`);
  });

  test('leaves the next run in the same process, bagging, training as usual', () => {
    assert.deepEqual(statuses(second), [
      ['exits', 'failed'],
      ['linear', 'done'],
      ['mlp-1', 'done'],
      ['mlp-2', 'done'],
    ]);
  });
});

describe('a sweep on one pool whose every trial has a member that exits its worker', () => {
  let sweep: SweepManifest;

  before(async () => {
    const dir = withExitingModule();
    const grid = `,
  "sweep": {
    "parameters": { "training.learningRate": { "type": "categorical", "choices": [0.01, 0.05] } },
    "sampler": { "type": "grid" },
    "trials": 2,
    "parallel": 2
  }`;
    const configPath = writeConfig(dir, 'exit.ensemble.json', config('voting', grid));
    const storeRoot = join(dir, '.ensemble-lab');
    const job = { kind: 'sweep' as const, configPath, storeRoot, backend: 'wasm' as const };
    sweep = await runSweep({ ...job, parallel: 2 }, { logger: silentLogger });
  });

  test('completes both trials', () => {
    assert.deepEqual(
      sweep.trials.map((t) => [t.number, t.state]),
      [
        [1, 'completed'],
        [2, 'completed'],
      ],
    );
  });
});
