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

async function decomposition(data: object, members: object[], training: object, rounds = 6) {
  const config = {
    data,
    members,
    training,
    ensemble: { method: 'bagging' },
    evaluation: { biasVariance: { rounds }, bootstrap: { resamples: 0 } },
  };
  const configPath = writeConfig(workspace(), 'bv.ensemble.json', JSON.stringify(config));
  const storeRoot = mkdtempSync(join(tmpdir(), 'bias-variance-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report?.biasVariance, 'the report has a biasVariance section');
  return report.biasVariance;
}

test('bias-variance of bagged MLPs on diabetes (squared loss)', async (t) => {
  const bv = await decomposition(
    { train: 'data/diabetes.csv', target: 'progression' },
    [{ name: 'mlp', model: 'mlp', hidden: [32], count: 4 }],
    { epochs: 40, batchSize: 16, learningRate: 0.01, seed: 1 },
  );

  await t.test("the single member's bias² and variance add up to its expected loss", () => {
    const { loss, bias, variance } = bv.single;
    assert.ok(Math.abs(bias + variance - loss) < 1e-6 * loss, `${bias} + ${variance} vs ${loss}`);
  });

  await t.test("the ensemble's bias² and variance add up to its expected loss", () => {
    const { loss, bias, variance } = bv.ensemble;
    assert.ok(Math.abs(bias + variance - loss) < 1e-6 * loss, `${bias} + ${variance} vs ${loss}`);
  });

  await t.test('bagging has a lower variance than a single member', () => {
    assert.ok(bv.ensemble.variance < bv.single.variance, JSON.stringify(bv));
  });

  t.diagnostic(JSON.stringify(bv));
});

test('bias-variance of bagged MLPs on wine (0-1 loss, Domingos)', async (t) => {
  const bv = await decomposition(
    { train: 'data/wine.csv', target: 'cultivar' },
    [{ name: 'mlp', model: 'mlp', hidden: [8], count: 3 }],
    { epochs: 10, batchSize: 16, learningRate: 0.01, seed: 1 },
    4,
  );

  await t.test("the single member's bias and net variance add up to its error rate", () => {
    const { loss, bias, netVariance } = bv.single;
    assert.ok(Math.abs(bias + netVariance - loss) < 1e-9, `${bias} + ${netVariance} vs ${loss}`);
  });

  await t.test("the ensemble's bias and net variance add up to its error rate", () => {
    const { loss, bias, netVariance } = bv.ensemble;
    assert.ok(Math.abs(bias + netVariance - loss) < 1e-9, `${bias} + ${netVariance} vs ${loss}`);
  });
});
