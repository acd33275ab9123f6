import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { cli, EXAMPLES, workspace, writeConfig } from './helpers';

interface StackingDetails {
  folds: number;
  foldOf: number[];
  foldModels: Record<string, string[]>;
}

test('stacking on wine', async (t) => {
  const dir = workspace();
  const example = readFileSync(join(EXAMPLES, 'wine-stacking.ensemble.json'), 'utf8');
  const configPath = writeConfig(dir, 'stack.ensemble.json', example);
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  const details = report.methodDetails as unknown as StackingDetails;
  const bases = report.members.filter((m) => m.role === 'member');

  await t.test('it is at least as accurate as its best base member', () => {
    const best = Math.max(...bases.map((m) => m.metrics.accuracy));
    assert.ok(
      report.ensemble.metrics.accuracy >= best - 1e-9,
      `${report.ensemble.metrics.accuracy} < ${best}`,
    );
  });

  await t.test('no fold model trained on a row of the fold it predicts', () => {
    for (const base of bases) {
      details.foldModels[base.name].forEach((model, f) => {
        const seen = new Set(run.readJson<number[]>(`members/${model}/rows.json`));
        const leaked = details.foldOf.filter((fold, r) => fold === f && seen.has(r));
        assert.deepEqual(leaked, [], `${model} saw rows of fold ${f + 1}`);
      });
    }
  });

  await t.test(
    'every training row is in exactly one fold, and each fold model saw the rest',
    () => {
      const rows = details.foldOf.length;
      const model = details.foldModels[bases[0].name][0];
      const seen = run.readJson<number[]>(`members/${model}/rows.json`) ?? [];
      assert.equal(seen.length, details.foldOf.filter((f) => f !== 0).length);
      assert.equal(rows, report.split.train);
    },
  );

  await t.test('the base members are refitted on all training rows', () => {
    assert.ok(
      bases.every((m) => m.rows === report.split.train),
      bases.map((m) => m.rows).join(),
    );
  });

  await t.test('the CLI shows the run, whose two perfect members have no Q-statistic', () => {
    const result = cli(['show', outcome.runId], dir);
    assert.equal(result.status, 0, result.stderr);
  });

  await t.test('predict runs new rows up the stack to the meta-learner', () => {
    const result = cli(['predict', outcome.runId, 'data/wine.csv'], dir);
    const text = readFileSync(join(dir, 'data', 'wine.csv'), 'utf8');
    const labels = text
      .trim()
      .split(/\r?\n/)
      .slice(1)
      .map((l) => l.split(',').at(-1));
    const predicted = result.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    const right = predicted.filter((p, i) => p === labels[i]).length;
    assert.ok(right / labels.length >= 0.95, `${right} of ${labels.length}; ${result.stderr}`);
  });
});

test('two stacking levels with passthrough: level 2 reads level 1 and the features', async () => {
  const dir = workspace();
  const configPath = writeConfig(
    dir,
    'levels.ensemble.json',
    `{
      "data": { "train": "data/iris.csv", "target": "species" },
      "members": [
        { "name": "lin", "model": "linear" },
        { "name": "tree", "model": "tree", "maxDepth": 3 },
        { "name": "top", "model": "mlp", "hidden": [8], "level": 2 }
      ],
      "training": { "epochs": 30, "batchSize": 16, "learningRate": 0.02, "seed": 4 },
      "ensemble": { "method": "stacking", "stacking": { "folds": 3, "passthrough": true } }
    }`,
  );
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  const saved = run.readJson<{ combiner: { levels: string[][] } }>('combiner.json');
  const top = report?.members.find((m) => m.name === 'top.fold-1');

  assert.deepEqual(saved?.combiner.levels, [['lin', 'tree'], ['top']]);
  // 2 members x 3 classes of predictions, then the 4 iris features.
  assert.equal(top?.parameters, (2 * 3 + 4) * 8 + 8 + 8 * 3 + 3);
  assert.ok((report?.ensemble.metrics.accuracy ?? 0) >= 0.9);
});

test('a base member that fails leaves the stack; the others are still stacked', async () => {
  const dir = workspace();
  writeFileSync(join(dir, 'throws.mjs'), 'export default () => { throw new Error("broken"); };\n');
  const configPath = writeConfig(
    dir,
    'fail.ensemble.json',
    `{
      "data": { "train": "data/iris.csv", "target": "species" },
      "members": [
        { "name": "lin", "model": "linear" },
        { "name": "bad", "model": "custom", "module": "throws.mjs" }
      ],
      "training": { "epochs": 20, "batchSize": 16, "learningRate": 0.02, "seed": 4 },
      "ensemble": { "method": "stacking", "stacking": { "folds": 3 } }
    }`,
  );
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');

  // Its fold models and refit are all planned before any trains, so each is tried and fails.
  assert.deepEqual(
    report?.members.map((m) => `${m.name}:${m.status}`).filter((m) => !m.includes('.fold-')),
    ['lin:done', 'meta:done', 'bad:failed'],
  );
});
