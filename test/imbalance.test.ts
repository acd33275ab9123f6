import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepareData } from '../src/core/data/prepare';
import { balancedBootstrap } from '../src/core/ensembles/balanced-bootstrap';
import { silentLogger } from '../src/core/log';
import { Rng } from '../src/core/random';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES } from './helpers';

/** Breast cancer with every tenth malignant row kept: 357 benign, 22 malignant. */
function imbalancedBreastCancer(dir: string): string {
  const lines = readFileSync(join(EXAMPLES, 'data', 'breast_cancer.csv'), 'utf8')
    .trim()
    .split(/\r?\n/);
  let malignant = 0;
  const kept = lines.slice(1).filter((l) => !l.endsWith(',malignant') || malignant++ % 10 === 0);
  const path = join(dir, 'breast_cancer_imbalanced.csv');
  writeFileSync(path, [lines[0], ...kept].join('\n') + '\n');
  return path;
}

async function train(dir: string, extra: { training?: object; evaluation?: object }) {
  const config = {
    data: { train: 'breast_cancer_imbalanced.csv', target: 'diagnosis', test: { fraction: 0.5 } },
    members: [{ name: 'mlp', model: 'mlp', hidden: [16], count: 3 }],
    training: { epochs: 40, batchSize: 32, learningRate: 0.005, seed: 2, ...extra.training },
    evaluation: { bootstrap: { resamples: 0 }, ...extra.evaluation },
  };
  const configPath = join(dir, `c${Date.now()}.ensemble.json`);
  writeFileSync(configPath, JSON.stringify(config));
  const storeRoot = mkdtempSync(join(tmpdir(), 'imbalance-'));
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

const recallOf = (report: RunReport, label: string): number =>
  report.ensemble.perClass?.find((c) => c.label === label)?.recall ?? NaN;

test('imbalanced breast cancer (a tenth of the malignant rows)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imbalanced-data-'));
  imbalancedBreastCancer(dir);
  const plain = await train(dir, { evaluation: { tuneThreshold: true } });
  const weighted = await train(dir, { training: { classWeights: 'balanced' } });

  await t.test('balanced class weights raise the recall of the malignant class', () => {
    const [before, after] = [recallOf(plain, 'malignant'), recallOf(weighted, 'malignant')];
    assert.ok(after > before, `recall ${before} without weights, ${after} with`);
  });

  await t.test('the report names malignant as the minority class', () => {
    assert.equal(plain.imbalance?.minorityClass, 'malignant');
  });

  await t.test('its share of the training rows is about 22 / 379', () => {
    const share = plain.imbalance?.minorityShare ?? NaN;
    assert.ok(Math.abs(share - 22 / 379) < 0.02, `share ${share}`);
  });

  await t.test('the report leads with PR-AUC', () => {
    assert.equal(plain.headline, 'pr-auc');
  });

  await t.test('the tuned threshold gives at least the F1 of 0.5 on the validation rows', () => {
    const tuned = plain.threshold?.validation;
    assert.ok(tuned, 'the report has a threshold section');
    assert.ok(tuned.after.f1 >= tuned.before.f1, `${tuned.before.f1} -> ${tuned.after.f1}`);
  });
});

test('a class-balanced bootstrap draws as many malignant rows as benign ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'imbalanced-data-'));
  const path = imbalancedBreastCancer(dir);
  const source = { kind: 'table' as const, path, format: 'csv' as const };
  const data = await prepareData(
    {
      train: source,
      target: 'diagnosis',
      test: { kind: 'fraction', fraction: 0.2, stratify: true },
      validationFraction: 0,
      columns: {},
      preprocess: { numeric: 'standardize', impute: 'mean' },
    },
    1,
    silentLogger,
  );
  const rows = balancedBootstrap(data.train, data.train.rows, new Rng(4));
  const malignant = data.train.classes.indexOf('malignant');
  const share = rows.filter((r) => data.train.y[r] === malignant).length / rows.length;
  assert.ok(Math.abs(share - 0.5) < 0.01, `malignant share ${share}`);
});
