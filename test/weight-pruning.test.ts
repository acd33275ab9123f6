import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

test('magnitude pruning of an MLP on digits to 80% sparsity', async (t) => {
  const config = {
    data: { train: 'data/digits.csv', target: 'digit' },
    members: [
      {
        name: 'mlp',
        model: 'mlp',
        hidden: [64],
        prune: { sparsity: 0.8, steps: 2, fineTuneEpochs: 3 },
      },
    ],
    training: { epochs: 15, batchSize: 32, learningRate: 0.005, seed: 1 },
    evaluation: { bootstrap: { resamples: 0 } },
  };
  const configPath = writeConfig(workspace(), 'p.ensemble.json', JSON.stringify(config));
  const storeRoot = mkdtempSync(join(tmpdir(), 'weight-pruning-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  const curve = report?.members[0].pruning ?? [];

  await t.test('the report has the unpruned model and two steps', () => {
    assert.deepEqual(
      curve.map((s) => Math.round(s.sparsity * 100)),
      [0, 40, 80],
    );
  });

  await t.test('after the last step a fifth of the 4736 kernel weights are left', () => {
    const last = curve[2];
    assert.ok(Math.abs(last.nonzero / last.kernelWeights - 0.2) < 0.005, JSON.stringify(last));
  });

  await t.test('the saved member holds those zeros', () => {
    const weights = new Float32Array(
      readFileSync(join(run.memberDir('mlp'), 'weights.bin')).buffer,
    );
    const zeros = weights.filter((w) => w === 0).length;
    assert.ok(zeros >= 0.8 * curve[2].kernelWeights - 1, `${zeros} zeros`);
  });

  await t.test('the pruned member loses at most 0.05 of validation accuracy', () => {
    const [first, last] = [curve[0].validationAccuracy ?? NaN, curve[2].validationAccuracy ?? NaN];
    assert.ok(last > first - 0.05, `validation accuracy ${first} unpruned, ${last} at 80%`);
  });

  t.diagnostic(JSON.stringify(curve));
});
