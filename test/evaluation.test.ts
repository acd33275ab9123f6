import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

async function train(configPath: string): Promise<RunReport> {
  const storeRoot = mkdtempSync(join(tmpdir(), 'evaluation-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

test('cross-validation of a bagging ensemble on wine', async (t) => {
  const config = {
    data: { train: 'data/wine.csv', target: 'cultivar' },
    members: [{ name: 'mlp', model: 'mlp', hidden: [16], count: 3 }],
    training: { epochs: 30, batchSize: 16, learningRate: 0.01, seed: 3 },
    ensemble: { method: 'bagging' },
    evaluation: { crossValidation: { folds: 4 }, bootstrap: { resamples: 300 } },
  };
  const report = await train(writeConfig(workspace(), 'cv.ensemble.json', JSON.stringify(config)));
  const cv = report.crossValidation;
  assert.ok(cv, 'the report has a crossValidation section');
  const accuracies = cv.perFold.map((f) => f.metrics.accuracy);

  await t.test('it reports one score per fold', () => {
    assert.equal(accuracies.length, 4);
  });

  await t.test('the fold sizes add up to the 178 rows of wine', () => {
    assert.equal(
      cv.perFold.reduce((s, f) => s + f.test, 0),
      178,
    );
  });

  await t.test('the mean accuracy is the mean of the per-fold accuracies', () => {
    assert.ok(Math.abs(cv.mean.accuracy - mean(accuracies)) < 1e-12);
  });

  await t.test('the standard deviation is the sample deviation of the per-fold accuracies', () => {
    const squares = accuracies.reduce((s, a) => s + (a - mean(accuracies)) ** 2, 0);
    assert.ok(Math.abs(cv.std.accuracy - Math.sqrt(squares / 3)) < 1e-12);
  });

  await t.test('every fold beats the majority class (0.40) by far', () => {
    assert.ok(Math.min(...accuracies) > 0.8, `fold accuracies ${accuracies.join(', ')}`);
  });

  await t.test('the bootstrap interval of the test accuracy holds the test accuracy', () => {
    const interval = report.intervals?.metrics.accuracy;
    assert.ok(interval, 'the report has an accuracy interval');
    assert.ok(interval.low <= report.ensemble.metrics.accuracy);
    assert.ok(report.ensemble.metrics.accuracy <= interval.high);
  });

  await t.test("the interval's estimate is the reported test accuracy", () => {
    assert.equal(report.intervals?.metrics.accuracy.estimate, report.ensemble.metrics.accuracy);
  });
});

test('temperature scaling lowers the ensemble ECE on validation rows of digits', async () => {
  const config = {
    data: { train: 'data/digits.csv', target: 'digit', validation: { fraction: 0.25 } },
    members: [{ name: 'mlp', model: 'mlp', hidden: [32], count: 3 }],
    training: { epochs: 20, batchSize: 64, learningRate: 0.003, seed: 1 },
    ensemble: { method: 'voting', combine: 'soft-vote' },
    evaluation: { calibration: { temperature: true }, bootstrap: { resamples: 0 } },
  };
  const report = await train(writeConfig(workspace(), 'ts.ensemble.json', JSON.stringify(config)));
  const ece = report.calibration?.validation.ece;
  assert.ok(ece, 'the report has a calibration section');
  assert.ok(ece.after < ece.before, `ECE ${ece.before} before, ${ece.after} after`);
});
