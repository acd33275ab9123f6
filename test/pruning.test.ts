import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PruningPoint } from '../src/core/ensembles/pruning';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES, workspace, writeConfig } from './helpers';

async function train(configPath: string): Promise<RunReport> {
  const storeRoot = mkdtempSync(join(tmpdir(), 'pruning-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

test('pruning by score keeps the members with the best validation scores', async (t) => {
  const example = readFileSync(join(EXAMPLES, 'breast-cancer-pruning.ensemble.json'), 'utf8');
  const dir = workspace();
  const report = await train(
    writeConfig(dir, 'p.ensemble.json', example.replace('"both"', '"score"')),
  );
  const library = report.members.filter((m) => m.validationScore !== undefined);
  const kept = report.members.filter((m) => m.role !== 'pruned');

  await t.test('it keeps three of the eight', () => {
    assert.deepEqual([kept.length, library.length], [3, 8]);
  });

  await t.test('no pruned member has a better validation log loss than a kept one', () => {
    const worstKept = Math.max(...kept.map((m) => m.validationScore ?? Infinity));
    const pruned = library.filter((m) => m.role === 'pruned');
    assert.ok(pruned.every((m) => (m.validationScore ?? 0) >= worstKept));
  });

  await t.test('the report gives test accuracy for every ensemble size', () => {
    const curve = report.methodDetails?.curve as PruningPoint[];
    assert.deepEqual(
      curve.map((p) => p.size),
      [1, 2, 3, 4, 5, 6, 7, 8],
    );
  });

  await t.test("the ensemble is the curve's point at the kept size", () => {
    const curve = report.methodDetails?.curve as PruningPoint[];
    assert.ok(Math.abs(curve[2].test - report.ensemble.metrics.accuracy) < 1e-9);
  });
});

test('pruning takes the members of an earlier run named by its folder', async () => {
  const dir = workspace();
  const base = `{
    "data": { "train": "data/iris.csv", "target": "species" },
    "members": [{ "name": "mlp", "model": "mlp", "hidden": [8], "count": 2 }],
    "training": { "epochs": 10, "batchSize": 16, "learningRate": 0.02, "seed": 8 }
  }`;
  const storeRoot = join(dir, '.ensemble-lab');
  const earlierJob = {
    kind: 'train' as const,
    configPath: writeConfig(dir, 'earlier.ensemble.json', base),
    storeRoot,
    backend: 'wasm' as const,
  };
  const earlier = await runJob(earlierJob, { emit: () => undefined, logger: silentLogger });
  const pruned = base
    .replace('"count": 2', '"count": 1')
    .replace(
      '"training"',
      `"ensemble": { "method": "pruning", "pruning": { "keep": 2, "runs": [".ensemble-lab/runs/${earlier.runId}"] } },\n    "training"`,
    );
  const job = { ...earlierJob, configPath: writeConfig(dir, 'prune.ensemble.json', pruned) };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');

  assert.deepEqual(
    report?.members.map((m) => m.name).sort(),
    ['mlp', `${earlier.runId}.mlp-1`, `${earlier.runId}.mlp-2`].sort(),
  );
});
