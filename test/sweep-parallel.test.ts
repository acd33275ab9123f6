// Trials that run at once: the same trials and the same scores as one after another, really at
// the same time, and a cancel that stops both running trials and resumes them.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { silentLogger } from '../src/core/log';
import { readJsonLines } from '../src/core/runs/files';
import { trialConfigText } from '../src/core/sweep/apply';
import { objectiveValue } from '../src/core/sweep/objective';
import type { SweepManifest, TrialRecord } from '../src/core/sweep/store';
import type { TrainerEvent } from '../src/protocol/events';
import { runSweep, type SweepHooks, type SweepJob } from '../src/trainer/run-sweep';
import { EXAMPLES, trainInProcess } from './helpers';

/**
 * Four grid trials on iris (two learning rates by two widths), two bagged members each, a few
 * epochs; ranked by validation log-loss, which differs between trials where accuracy ties.
 */
function irisGrid(parallel: number, epochs = 3): string {
  return `{
  "name": "iris-parallel-sweep",
  "data": { "train": "${join(EXAMPLES, 'data', 'iris.csv')}", "target": "species" },
  "members": [{ "model": "mlp", "hidden": [4], "count": 2 }],
  "ensemble": { "method": "bagging" },
  "training": { "epochs": ${epochs}, "batchSize": 16, "learningRate": 0.05, "seed": 4 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "categorical", "choices": [0.01, 0.05] },
      "members[0].hidden[0]": { "type": "categorical", "choices": [4, 8] }
    },
    "objective": { "metric": "log-loss" },
    "sampler": { "type": "grid" },
    "trials": 4,
    "parallel": ${parallel}
  }
}`;
}

interface Swept {
  sweep: SweepManifest;
  storeRoot: string;
}

/** Runs a sweep of a config text in a fresh folder, with two members at once over all trials. */
async function sweepOf(text: string, hooks: Partial<SweepHooks> = {}): Promise<Swept> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-parallel-'));
  const configPath = join(dir, 'iris.ensemble.json');
  writeFileSync(configPath, text);
  const storeRoot = join(dir, '.ensemble-lab');
  const job: SweepJob = { kind: 'sweep', configPath, storeRoot, backend: 'wasm', parallel: 2 };
  const sweep = await runSweep(job, { logger: silentLogger, ...hooks });
  return { sweep, storeRoot };
}

/** Each trial as `values → objective`, in trial order. */
const outcomes = (sweep: SweepManifest): [string, number | undefined][] =>
  sweep.trials.map((t) => [JSON.stringify(t.params), t.value]);

const time = (iso: string | undefined): number => Date.parse(iso ?? '');

function runEvents(storeRoot: string, trial: TrialRecord | undefined): TrainerEvent[] {
  return readJsonLines<TrainerEvent>(join(storeRoot, 'runs', String(trial?.runId), 'events.jsonl'));
}

describe('a grid sweep with two trials at once', () => {
  let alone: Swept;
  let together: Swept;

  before(async () => {
    alone = await sweepOf(irisGrid(1));
    together = await sweepOf(irisGrid(2));
  });

  test('completes its four trials', () => {
    assert.deepEqual(
      together.sweep.trials.map((t) => [t.number, t.state]),
      [1, 2, 3, 4].map((n) => [n, 'completed']),
    );
  });

  test('tries the same values in the same trial numbers as one trial at a time', () => {
    assert.deepEqual(
      together.sweep.trials.map((t) => t.params),
      alone.sweep.trials.map((t) => t.params),
    );
  });

  test('gives every trial the objective it has one trial at a time', () => {
    const [a, b] = [outcomes(alone.sweep), outcomes(together.sweep)];
    assert.deepEqual(
      b.map(([params, value]) => [params, value?.toFixed(9)]),
      a.map(([params, value]) => [params, value?.toFixed(9)]),
    );
  });

  test('a trial scores what its config scores when trained alone, outside any sweep', async () => {
    const trial = together.sweep.trials[3];
    const dir = mkdtempSync(join(tmpdir(), 'sweep-alone-'));
    const text = trialConfigText(together.sweep.configText, trial.params);
    const { report } = await trainInProcess(dir, 'trial.ensemble.json', text);
    const objective = { metric: 'log-loss', split: 'validation', direction: 'minimize' } as const;

    assert.ok(Math.abs((objectiveValue(report, objective) ?? NaN) - (trial.value ?? NaN)) < 1e-9);
  });

  test('trial 2 starts before trial 1 finishes', () => {
    const [first, second] = together.sweep.trials;
    assert.ok(time(second.startedAt) <= time(first.finishedAt), JSON.stringify([first, second]));
  });

  test("trial 2's members train before trial 1's last epoch: the two trials interleave", () => {
    const [first, second] = together.sweep.trials.map((t) =>
      runEvents(together.storeRoot, t)
        .filter((e) => e.type === 'member-epoch')
        .map((e) => e.time),
    );
    assert.ok(Math.min(...second) < Math.max(...first), `${first} / ${second}`);
  });
});

describe('cancelling a sweep while two trials run', () => {
  let cancelled: SweepManifest;
  let resumed: SweepManifest;
  let uninterrupted: SweepManifest;

  before(async () => {
    const controller = new AbortController();
    const training = new Set<string>();
    // Aborts once both running trials' runs have finished an epoch: both are mid-training.
    const emit = (event: TrainerEvent): void => {
      if (event.type === 'member-epoch') training.add(event.runId);
      if (training.size === 2) controller.abort();
    };
    const first = await sweepOf(irisGrid(2, 6), { emit, signal: controller.signal });
    cancelled = structuredClone(first.sweep);
    const job: SweepJob = {
      kind: 'resume-sweep',
      sweepId: first.sweep.id,
      storeRoot: first.storeRoot,
      backend: 'wasm',
      parallel: 2,
    };
    resumed = await runSweep(job, { logger: silentLogger });
    uninterrupted = (await sweepOf(irisGrid(1, 6))).sweep;
  });

  test('the sweep reads as cancelled', () => {
    assert.equal(cancelled.status, 'cancelled');
  });

  test('both running trials are left interrupted by the cancel, and no other started', () => {
    assert.deepEqual(
      cancelled.trials.map((t) => [t.number, t.state, t.reason]),
      [
        [1, 'interrupted', 'cancelled'],
        [2, 'interrupted', 'cancelled'],
      ],
    );
  });

  test('the resume completes the whole budget', () => {
    assert.deepEqual(
      [resumed.status, resumed.trials.map((t) => t.state)],
      ['completed', ['completed', 'completed', 'completed', 'completed']],
    );
  });

  test('the resume finishes both cancelled trials in the runs they started', () => {
    assert.deepEqual(
      resumed.trials.slice(0, 2).map((t) => t.runId),
      cancelled.trials.map((t) => t.runId),
    );
  });

  test('every trial scores what it scores in a sweep that was never cancelled', () => {
    assert.deepEqual(
      outcomes(resumed).map(([params, value]) => [params, value?.toFixed(9)]),
      outcomes(uninterrupted).map(([params, value]) => [params, value?.toFixed(9)]),
    );
  });
});

/** Two grid trials of AdaBoost on iris (a method that trains one member after another). */
function irisBoosting(parallel: number): string {
  return `{
  "name": "iris-boosting-sweep",
  "data": { "train": "${join(EXAMPLES, 'data', 'iris.csv')}", "target": "species" },
  "members": [{ "model": "mlp", "hidden": [4], "count": 2 }],
  "ensemble": { "method": "adaboost" },
  "training": { "epochs": 3, "batchSize": 16, "learningRate": 0.05, "seed": 4 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "categorical", "choices": [0.01, 0.05] }
    },
    "objective": { "metric": "log-loss" },
    "sampler": { "type": "grid" },
    "trials": 2,
    "parallel": ${parallel}
  }
}`;
}

/** How many member workers a sweep started, from the pool's debug log. */
async function workersStartedBy(text: string): Promise<number> {
  const lines: string[] = [];
  const logger = { log: (_level: string, message: string) => void lines.push(message) };
  await sweepOf(text, { logger });
  return lines.filter((line) => line.startsWith('started member worker')).length;
}

describe('AdaBoost trials and the shared workers', () => {
  test('two trials at once fit their members on the workers, so both cores work', async () => {
    assert.equal(await workersStartedBy(irisBoosting(2)), 2);
  });

  test('one trial at a time fits them on the sweep thread and starts no worker', async () => {
    assert.equal(await workersStartedBy(irisBoosting(1)), 0);
  });
});
