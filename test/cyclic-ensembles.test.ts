import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { MemberReport, RunReport } from '../src/core/runs/report';
import { RunStore, type Run } from '../src/core/runs/store';
import type { EpochLog } from '../src/core/training/types';
import { runJob } from '../src/trainer/run-job';
import { workspace, writeConfig } from './helpers';

async function train(config: object): Promise<{ run: Run; report: RunReport }> {
  const configPath = writeConfig(workspace(), 'c.ensemble.json', JSON.stringify(config));
  const storeRoot = mkdtempSync(join(tmpdir(), 'cyclic-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return { run, report };
}

const weightsOf = (run: Run, member: string): Buffer =>
  readFileSync(join(run.memberDir(member), 'weights.bin'));

const digits = {
  train: 'data/digits.csv',
  target: 'digit',
  test: { fraction: 0.4, stratify: true },
};

test('a snapshot ensemble on digits', async (t) => {
  const { run, report } = await train({
    data: digits,
    members: [{ name: 'mlp', model: 'mlp', hidden: [32] }],
    training: { epochs: 30, batchSize: 32, learningRate: 0.02, seed: 2 },
    ensemble: { method: 'snapshot', snapshot: { cycles: 5 } },
    evaluation: { bootstrap: { resamples: 0 } },
  });
  const snapshots = report.members.filter((m) => m.status === 'done');
  const history = (m: MemberReport) =>
    run.readJson<EpochLog[]>(`members/${m.name}/history.json`) ?? [];

  await t.test('five cycles keep five snapshots, cycles 1 to 5', () => {
    assert.deepEqual(
      snapshots.map((m) => m.cycle),
      [1, 2, 3, 4, 5],
    );
  });

  await t.test('the cycles together run the 30 epochs of one training, 6 each', () => {
    assert.deepEqual(
      snapshots.map((m) => m.epochsRun),
      [6, 6, 6, 6, 6],
    );
  });

  await t.test('each cycle restarts the learning rate high and ends it low', () => {
    const rates = history(snapshots[2]).map((e) => e.learningRate);
    const [first, last] = [rates[0], rates.at(-1) ?? NaN];
    assert.ok(Math.abs(first - 0.02) < 1e-9 && Math.abs(last - 0.0002) < 1e-9, `${rates}`);
  });

  await t.test('each later cycle starts from the weights the one before ended with', () => {
    const firstLoss = history(snapshots[0])[0].loss;
    const laterFirstLosses = snapshots.slice(1).map((m) => history(m)[0].loss);
    assert.ok(Math.max(...laterFirstLosses) < firstLoss / 3, `${firstLoss} ${laterFirstLosses}`);
  });

  await t.test('the five snapshots are distinct models', () => {
    const weights = snapshots.map((m) => weightsOf(run, m.name));
    const same = weights.flatMap((a, i) => weights.slice(i + 1).filter((b) => a.equals(b)));
    assert.equal(same.length, 0);
  });

  await t.test('the snapshot ensemble is more accurate than its last snapshot', () => {
    const last = snapshots[4].metrics.accuracy;
    assert.ok(
      report.ensemble.metrics.accuracy > last,
      `${report.ensemble.metrics.accuracy} ${last}`,
    );
  });
});

test('fast geometric ensembling on digits', async (t) => {
  const { run, report } = await train({
    data: digits,
    members: [{ name: 'mlp', model: 'mlp', hidden: [32] }],
    training: {
      epochs: 20,
      batchSize: 32,
      learningRate: 0.01,
      schedule: { type: 'cosine', minLearningRate: 0.0005 },
      seed: 3,
    },
    ensemble: {
      method: 'fge',
      fge: { cycles: 6, cycleEpochs: 2, highLearningRate: 0.005, lowLearningRate: 0.0002 },
    },
    evaluation: { bootstrap: { resamples: 0 } },
  });
  const collected = report.members.filter((m) => m.role !== 'base');
  const base = report.members.find((m) => m.role === 'base');

  await t.test('it collects six models after the trained base network', () => {
    assert.deepEqual([collected.length, base?.name], [6, 'mlp']);
  });

  await t.test('the collected models differ from each other and from the base', () => {
    const weights = [base?.name ?? '', ...collected.map((m) => m.name)].map((n) =>
      weightsOf(run, n),
    );
    const same = weights.flatMap((a, i) => weights.slice(i + 1).filter((b) => a.equals(b)));
    assert.equal(same.length, 0);
  });

  await t.test('their average has a test log loss no worse than the first collected', () => {
    const first = collected[0].metrics['log-loss'];
    const ensemble = report.ensemble.metrics['log-loss'];
    assert.ok(ensemble <= first, `ensemble ${ensemble}, first ${first}`);
  });

  await t.test('their average is at least as accurate as the first collected', () => {
    const first = collected[0].metrics.accuracy;
    assert.ok(
      report.ensemble.metrics.accuracy >= first,
      `${report.ensemble.metrics.accuracy} ${first}`,
    );
  });
});
