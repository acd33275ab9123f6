import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EnsembleConfig } from '../src/core/config/types';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import type { SweepManifest } from '../src/core/sweep/store';
import { bestTrial, runSweep } from '../src/trainer/run-sweep';
import { EXAMPLES } from './helpers';

/** An iris config with a tiny member and the given sweep section. */
function iris(sweep: string): string {
  return `{
  "name": "iris-sweep",
  "data": { "train": "${join(EXAMPLES, 'data', 'iris.csv')}", "target": "species" },
  "members": [{ "model": "mlp", "hidden": [4] }],
  "training": { "epochs": 2, "batchSize": 16, "learningRate": 0.05, "seed": 4 },
  "sweep": ${sweep}
}`;
}

/** Runs a sweep of a config text in a fresh folder; returns its manifest and its store. */
async function sweepOf(text: string): Promise<{ sweep: SweepManifest; store: RunStore }> {
  const dir = mkdtempSync(join(tmpdir(), 'sweep-runner-'));
  const configPath = join(dir, 'iris.ensemble.json');
  writeFileSync(configPath, text);
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'sweep' as const, configPath, storeRoot, backend: 'wasm' as const };
  const sweep = await runSweep(job, { logger: silentLogger });
  return { sweep, store: new RunStore(storeRoot) };
}

test('ensemble-level choices are swept like any path: method and member count', async () => {
  const { sweep, store } = await sweepOf(
    iris(`{
      "parameters": {
        "ensemble.method": { "type": "categorical", "choices": ["voting", "bagging"] },
        "members[0].count": { "type": "int", "low": 1, "high": 2 }
      },
      "sampler": { "type": "grid" },
      "trials": 10
    }`),
  );
  const trained = sweep.trials.map((t) => {
    const config = store.open(t.runId ?? '').readJson<EnsembleConfig>('config.json');
    return [config?.ensemble.method, config?.members.length];
  });
  assert.deepEqual(trained, [
    ['voting', 1],
    ['voting', 2],
    ['bagging', 1],
    ['bagging', 2],
  ]);
});

test('a grid smaller than the trial budget completes the sweep when it is used up', async () => {
  const { sweep } = await sweepOf(
    iris(`{
      "parameters": {
        "ensemble.combine": { "type": "categorical", "choices": ["soft-vote", "hard-vote"] }
      },
      "sampler": { "type": "grid" },
      "trials": 10
    }`),
  );
  assert.deepEqual([sweep.status, sweep.trials.length], ['completed', 2]);
});

test('a trial the config rejects fails with its reason, and the sweep goes on', async () => {
  const { sweep } = await sweepOf(
    iris(`{
      "parameters": {
        "ensemble.combine": { "type": "categorical", "choices": ["weighted", "soft-vote"] }
      },
      "sampler": { "type": "grid" }
    }`),
  );
  assert.deepEqual(
    sweep.trials.map((t) => [t.state, t.reason?.includes('needs "weights"') ?? false]),
    [
      ['failed', true],
      ['completed', false],
    ],
  );
});

test('no trial starts once the time budget is spent', async () => {
  const { sweep } = await sweepOf(
    iris(`{
      "parameters": {
        "training.learningRate": { "type": "log-uniform", "low": 0.001, "high": 0.1 }
      },
      "sampler": { "type": "random" },
      "trials": 5,
      "timeBudget": 0.001
    }`),
  );
  assert.equal(sweep.trials.length, 1);
});

test('a log-loss objective on the test rows is minimized, and read from the report', async () => {
  const { sweep, store } = await sweepOf(
    iris(`{
      "parameters": {
        "training.learningRate": { "type": "log-uniform", "low": 0.001, "high": 0.3 }
      },
      "objective": { "metric": "log-loss", "split": "test" },
      "sampler": { "type": "random", "seed": 2 },
      "trials": 3
    }`),
  );
  const best = bestTrial(sweep);
  const report = store.open(best?.runId ?? '').readJson<RunReport>('report.json');
  const lowest = Math.min(...sweep.trials.map((t) => t.value ?? Infinity));
  assert.deepEqual(
    [sweep.objective.direction, best?.value, report?.ensemble.metrics['log-loss']],
    ['minimize', lowest, lowest],
  );
});
