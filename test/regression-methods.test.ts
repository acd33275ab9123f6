import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GradientRound } from '../src/core/ensembles/gradient-boosting';
import { cli, trainInProcess, workspace } from './helpers';

const config = (ensemble: string, members: string): string => `{
  "data": {
    "train": "data/diabetes.csv", "target": "progression", "task": "regression",
    "test": { "fraction": 0.2, "stratify": false }, "validation": { "fraction": 0.15 }
  },
  "members": [${members}],
  "training": { "epochs": 60, "batchSize": 32, "learningRate": 0.01, "seed": 13 },
  "ensemble": ${ensemble}
}`;

test('stacking on diabetes reads standardized predictions and beats its mean member', async (t) => {
  const dir = workspace();
  const text = config(
    '{ "method": "stacking", "stacking": { "folds": 3 } }',
    '{ "name": "lin", "model": "linear" }, { "name": "mlp", "model": "mlp", "hidden": [16] }',
  );
  const { id, report } = await trainInProcess(dir, 'stack.ensemble.json', text);

  await t.test("its test R² is at least the mean member's", () => {
    assert.ok(
      report.ensemble.metrics.r2 >= report.meanMember.r2 - 1e-9,
      `${report.ensemble.metrics.r2} < ${report.meanMember.r2}`,
    );
  });

  await t.test("predict gives values on the target's scale (R² above 0.4 on every row)", () => {
    const result = cli(['predict', id, 'data/diabetes.csv'], dir);
    const rows = readFileSync(join(dir, 'data', 'diabetes.csv'), 'utf8')
      .trim()
      .split(/\r?\n/)
      .slice(1);
    const actual = rows.map((l) => Number(l.split(',').at(-1)));
    const predicted = result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => Number(l.split(',')[0]));
    const mean = actual.reduce((s, v) => s + v, 0) / actual.length;
    const residual = actual.reduce((s, v, i) => s + (v - predicted[i]) ** 2, 0);
    const total = actual.reduce((s, v) => s + (v - mean) ** 2, 0);
    assert.ok(1 - residual / total > 0.4, `R² ${1 - residual / total}; ${result.stderr}`);
  });
});

test('gradient boosting on diabetes lowers the training loss with every member', async () => {
  const text = config(
    '{ "method": "gradient-boosting", "gradientBoosting": { "shrinkage": 0.5, "patience": 3 } }',
    '{ "name": "mlp", "model": "mlp", "hidden": [16], "count": 4 }',
  );
  const { report } = await trainInProcess(workspace(), 'gb.ensemble.json', text);
  const losses = ((report.methodDetails?.rounds ?? []) as GradientRound[]).map((r) => r.trainLoss);

  assert.ok(
    losses.length >= 2 && losses.every((l, i) => i === 0 || l < losses[i - 1]),
    losses.join(),
  );
});

test("selection on diabetes: its validation RMSE is at most the best member's", async () => {
  const text = config(
    '{ "method": "selection", "selection": { "rounds": 10 } }',
    '{ "name": "lin", "model": "linear" }, { "name": "mlp", "model": "mlp", "hidden": [16], "count": 2 }',
  );
  const { report } = await trainInProcess(workspace(), 'sel.ensemble.json', text);
  const best = Math.min(...report.members.map((m) => m.validationScore ?? Infinity));

  assert.ok((report.ensemble.validationMetrics?.rmse ?? Infinity) <= best + 1e-9);
});
