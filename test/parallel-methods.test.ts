// Bagged members, stacking's fold models, a selection library and cross-validation's folds
// train at once on worker threads and give the numbers they give one after another; a method
// that trains one member after another starts no worker at all.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Logger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import type { TrainerEvent } from '../src/protocol/events';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

// The mlp comes first, so its first two fold models are the first two plans and start together
// on the two lanes. Listed second, they queued behind the linear member's plans, and on a busy
// machine the first could be done before the second started (a CI run failed so).
const STACKING = `{
  "name": "iris-stacking",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [
    { "name": "mlp", "model": "mlp", "hidden": [8] },
    { "name": "linear", "model": "linear" }
  ],
  "training": { "epochs": 10, "batchSize": 16, "learningRate": 0.01, "seed": 4 },
  "ensemble": { "method": "stacking", "stacking": { "folds": 3 } }
}`;

const SELECTION = `{
  "name": "iris-selection",
  "data": { "train": "data/iris.csv", "target": "species", "validation": { "fraction": 0.2 } },
  "members": [
    { "name": "linear", "model": "linear" },
    { "name": "small", "model": "mlp", "hidden": [4] },
    { "name": "wide", "model": "mlp", "hidden": [16] }
  ],
  "training": { "epochs": 10, "batchSize": 16, "learningRate": 0.01, "seed": 6 },
  "ensemble": { "method": "selection", "selection": { "rounds": 8 } }
}`;

const BAGGING = `{
  "name": "iris-bagging",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [8], "count": 5 }],
  "training": { "epochs": 10, "batchSize": 16, "learningRate": 0.01, "seed": 3 },
  "ensemble": { "method": "bagging" }
}`;

const ADABOOST = `{
  "name": "iris-adaboost",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [8], "count": 3 }],
  "training": { "epochs": 8, "batchSize": 16, "learningRate": 0.01, "seed": 8 },
  "ensemble": { "method": "adaboost" }
}`;

const ADABOOST_CV = ADABOOST.replace(
  '"ensemble":',
  '"evaluation": { "crossValidation": { "folds": 3 } },\n  "ensemble":',
);

interface Trained {
  report: RunReport;
  events: TrainerEvent[];
  logs: string[];
}

/** Trains `text` in this process with `parallel` members at once, keeping events and logs. */
async function train(dir: string, text: string, parallel: number): Promise<Trained> {
  const storeRoot = join(dir, '.ensemble-lab');
  const configPath = writeConfig(dir, `p${parallel}.ensemble.json`, text);
  const events: TrainerEvent[] = [];
  const logs: string[] = [];
  const logger: Logger = { log: (_level, message) => logs.push(message) };
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const, parallel };
  const outcome = await runJob(job, { emit: (e) => events.push(e), logger });

  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  if (!report) throw new Error(`run ${outcome.runId} wrote no report.json`);
  return { report, events, logs };
}

/** The largest difference between two sets of metrics with the same names. */
function largestDifference(a: Record<string, number>, b: Record<string, number>): number {
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
  return Math.max(...Object.keys(a).map((name) => Math.abs(a[name] - b[name])));
}

function memberMetrics(run: Trained): Record<string, number> {
  const entries = run.report.members.flatMap((m) =>
    Object.entries(m.metrics).map(([name, value]) => [`${m.name}.${name}`, value] as const),
  );
  return Object.fromEntries(entries);
}

/** Whether `later` started before `earlier` was done: both were in flight at once. */
function overlapped(run: Trained, earlier: string, later: string): boolean {
  const at = (type: string, member: string): number =>
    run.events.findIndex((e) => e.type === type && 'member' in e && e.member === member);
  return (
    at('member-started', later) >= 0 && at('member-started', later) < at('member-done', earlier)
  );
}

const workerStarts = (run: Trained): string[] =>
  run.logs.filter((line) => line.startsWith('started member worker'));

describe('stacking with two members at once', () => {
  let alone: Trained;
  let together: Trained;

  before(async () => {
    const dir = workspace();
    alone = await train(dir, STACKING, 1);
    together = await train(dir, STACKING, 2);
  });

  test('gives the ensemble the test metrics of one after another', () => {
    const metrics = (run: Trained) => run.report.ensemble.metrics;
    assert.ok(largestDifference(metrics(together), metrics(alone)) < 1e-9);
  });

  test('gives every fold model, refit and the meta-learner the same test metrics', () => {
    assert.ok(largestDifference(memberMetrics(together), memberMetrics(alone)) < 1e-9);
  });

  test("trains a member's second fold model while its first is still training", () => {
    assert.ok(overlapped(together, 'mlp.fold-1', 'mlp.fold-2'));
  });

  test('trains them one after another with parallel 1', () => {
    assert.ok(!overlapped(alone, 'mlp.fold-1', 'mlp.fold-2'));
  });

  test('starts two workers', () => {
    assert.equal(workerStarts(together).length, 2);
  });
});

describe('five bagged members on two cores', () => {
  let alone: Trained;
  let together: Trained;

  before(async () => {
    const dir = workspace();
    alone = await train(dir, BAGGING, 1);
    together = await train(dir, BAGGING, 2);
  });

  test('keep three in flight, sharing the two cores: three workers start', () => {
    assert.equal(workerStarts(together).length, 3);
  });

  test('start the third member before the first is done', () => {
    assert.ok(overlapped(together, 'mlp-1', 'mlp-3'));
  });

  test('give every member the test metrics of one after another', () => {
    assert.ok(largestDifference(memberMetrics(together), memberMetrics(alone)) < 1e-9);
  });
});

describe('ensemble selection with two library members at once', () => {
  let alone: Trained;
  let together: Trained;

  before(async () => {
    const dir = workspace();
    alone = await train(dir, SELECTION, 1);
    together = await train(dir, SELECTION, 2);
  });

  test('gives the ensemble the test metrics of one after another', () => {
    const metrics = (run: Trained) => run.report.ensemble.metrics;
    assert.ok(largestDifference(metrics(together), metrics(alone)) < 1e-9);
  });

  test('picks the same members', () => {
    const steps = (run: Trained) => run.report.methodDetails?.steps;
    assert.deepEqual(steps(together), steps(alone));
  });

  test('trains the second library member while the first is still training', () => {
    assert.ok(overlapped(together, 'linear', 'small'));
  });
});

describe('AdaBoost with parallel 2', () => {
  let plain: Trained;
  let validatedAlone: Trained;
  let validatedTogether: Trained;

  before(async () => {
    const dir = workspace();
    plain = await train(dir, ADABOOST, 2);
    validatedAlone = await train(dir, ADABOOST_CV, 1);
    validatedTogether = await train(dir, ADABOOST_CV, 2);
  });

  test('starts no worker: its members train one after another on the trainer thread', () => {
    assert.deepEqual(workerStarts(plain), []);
  });

  test('gives the metrics it gives with parallel 1', () => {
    const metrics = (run: Trained) => run.report.ensemble.metrics;
    assert.ok(largestDifference(metrics(plain), metrics(validatedAlone)) < 1e-9);
  });

  test('cross-validates two folds at once on two workers', () => {
    assert.equal(workerStarts(validatedTogether).length, 2);
  });

  test('cross-validates on this thread with parallel 1', () => {
    assert.deepEqual(workerStarts(validatedAlone), []);
  });

  test('gives every fold the scores of one fold after another', () => {
    const perFold = (run: Trained) => run.report.crossValidation?.perFold ?? [];
    const [a, b] = [perFold(validatedAlone), perFold(validatedTogether)];
    assert.equal(b.length, 3);
    const differences = a.map((fold, i) => largestDifference(fold.metrics, b[i].metrics));
    assert.ok(Math.max(...differences) < 1e-9, differences.join());
  });
});
