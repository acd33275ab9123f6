import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { BoostRound } from '../src/core/ensembles/adaboost';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES, workspace, writeConfig } from './helpers';

async function train(example: string): Promise<RunReport> {
  const storeRoot = mkdtempSync(join(tmpdir(), 'adaboost-'));
  const configPath = join(EXAMPLES, example);
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

test('AdaBoost of decision stumps on breast cancer', async (t) => {
  const report = await train('breast-cancer-adaboost.ensemble.json');
  const rounds = (report.methodDetails?.rounds ?? []) as BoostRound[];
  const first = report.members[0];

  await t.test('beats its first stump by at least 4 points of test accuracy', () => {
    const gain = report.ensemble.metrics.accuracy - first.metrics.accuracy;
    assert.ok(
      gain >= 0.04,
      `ensemble ${report.ensemble.metrics.accuracy}, first ${first.metrics.accuracy}`,
    );
  });

  await t.test('the rows a stump got wrong hold more of the weight after its update', () => {
    const grew = rounds.filter((r) => r.misclassifiedWeight.after > r.misclassifiedWeight.before);
    assert.equal(grew.length, rounds.length);
  });

  await t.test(
    'with two classes and learning rate 1, each stump is at chance after its update',
    () => {
      // SAMME with K = 2 is discrete AdaBoost: e^α = (1 − err)/err puts exactly half the weight
      // on the misclassified rows.
      assert.ok(rounds.every((r) => Math.abs(r.misclassifiedWeight.after - 0.5) < 1e-6));
    },
  );

  await t.test('α follows the SAMME formula from each weighted error', () => {
    const expected = rounds.map((r) => Math.log((1 - r.error) / r.error) + Math.log(2 - 1));
    rounds.forEach((r, i) => assert.ok(Math.abs(r.alpha - expected[i]) < 1e-9));
  });

  await t.test(
    'later stumps see a different weighting: their errors are higher than the first',
    () => {
      assert.ok(rounds[1].error > rounds[0].error, `${rounds[0].error} then ${rounds[1].error}`);
    },
  );

  await t.test('the report gives each member its α, round and normalized weight', () => {
    const done = report.members.filter((m) => m.role !== 'pruned');
    const total = done.reduce((s, m) => s + (m.weight ?? 0), 0);
    assert.ok(Math.abs(total - 1) < 1e-6);
    assert.equal(done[0].round, 1);
    assert.ok(Math.abs((done[0].alpha ?? 0) - rounds[0].alpha) < 1e-9);
  });
});

test('AdaBoost of linear members learns from the weights through the loss, not resampling', async () => {
  const dir = workspace();
  const configPath = writeConfig(
    dir,
    'lin.ensemble.json',
    `{
      "data": { "train": "data/breast_cancer.csv", "target": "diagnosis" },
      "members": [{ "name": "lin", "model": "linear", "count": 3 }],
      "training": { "epochs": 4, "batchSize": 64, "learningRate": 0.003, "seed": 2 },
      "ensemble": { "method": "adaboost", "adaboost": { "learningRate": 0.5 } }
    }`,
  );
  const job = {
    kind: 'train' as const,
    configPath,
    storeRoot: join(dir, 'store'),
    backend: 'wasm' as const,
  };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(join(dir, 'store'))
    .open(outcome.runId)
    .readJson<RunReport>('report.json');
  const rounds = (report?.methodDetails?.rounds ?? []) as BoostRound[];

  assert.deepEqual(
    rounds.map((r) => r.resampled),
    [false, false, false],
  );
});
