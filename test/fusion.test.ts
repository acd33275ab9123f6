import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import { loadModel } from '../src/core/members/persist';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

test('fusion of three MLPs on digits', async (t) => {
  const config = {
    data: { train: 'data/digits.csv', target: 'digit' },
    members: [{ name: 'mlp', model: 'mlp', hidden: [16], count: 3 }],
    training: { epochs: 10, batchSize: 32, learningRate: 0.005, seed: 1 },
    ensemble: { method: 'fusion' },
    evaluation: { bootstrap: { resamples: 0 } },
  };
  const configPath = writeConfig(workspace(), 'f.ensemble.json', JSON.stringify(config));
  const storeRoot = mkdtempSync(join(tmpdir(), 'fusion-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');

  await t.test('the three networks are trained as one member', () => {
    assert.deepEqual(
      report.members.map((m) => m.name),
      ['fused-3'],
    );
  });

  await t.test('that member holds the weights of three 64-16-10 MLPs', () => {
    assert.equal(report.members[0].parameters, 3 * (64 * 16 + 16 + 16 * 10 + 10));
  });

  await t.test('its saved model averages three branches', async () => {
    const model = await loadModel(run.memberDir('fused-3'));
    const averaged = model.layers.filter((l) => l.getClassName() === 'Average');
    assert.equal(averaged[0]?.inboundNodes[0]?.inboundLayers.length, 3);
    model.dispose();
  });

  await t.test('the fused ensemble reaches accuracy 0.9 on digits', () => {
    assert.ok(report.ensemble.metrics.accuracy > 0.9, `${report.ensemble.metrics.accuracy}`);
  });
});
