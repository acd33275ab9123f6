import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { GradientRound } from '../src/core/ensembles/gradient-boosting';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES, workspace, writeConfig } from './helpers';

async function train(configPath: string, storeRoot: string): Promise<RunReport> {
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

test('gradient boosting of MLPs on digits', async (t) => {
  const dir = workspace();
  const example = readFileSync(join(EXAMPLES, 'digits-gradient-boosting.ensemble.json'), 'utf8');
  const boostedPath = writeConfig(dir, 'gb.ensemble.json', example);
  // The same member, alone, trained on the labels with cross-entropy.
  const singlePath = writeConfig(
    dir,
    'one.ensemble.json',
    example
      .replace('"count": 8', '"count": 1')
      .replace('"method": "gradient-boosting"', '"method": "voting"'),
  );
  const boosted = await train(boostedPath, join(dir, 'store'));
  const single = await train(singlePath, join(dir, 'store'));
  const rounds = (boosted.methodDetails?.rounds ?? []) as GradientRound[];

  await t.test('it trains more than one round', () => {
    assert.ok(rounds.length >= 3, `${rounds.length} rounds`);
  });

  await t.test('the training loss falls with every member added', () => {
    const losses = rounds.map((r) => r.trainLoss);
    assert.ok(
      losses.every((loss, i) => i === 0 || loss < losses[i - 1]),
      `losses ${losses.map((l) => l.toFixed(4)).join(', ')}`,
    );
  });

  await t.test('it is at least as accurate as one member of the same size', () => {
    const mine = boosted.ensemble.metrics.accuracy;
    const theirs = single.ensemble.metrics.accuracy;
    assert.ok(mine >= theirs - 1e-9, `boosted ${mine}, one member ${theirs}`);
  });

  await t.test('the kept rounds end at the lowest validation loss', () => {
    const kept = boosted.methodDetails?.kept as number;
    const best = Math.min(...rounds.map((r) => r.validationLoss ?? Infinity));
    assert.equal(rounds[kept - 1].validationLoss, best);
  });
});
