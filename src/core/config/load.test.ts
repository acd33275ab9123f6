import assert from 'node:assert/strict';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError, UserErrors } from '../errors';
import { loadConfig, parseConfigText } from './load';
import { EXAMPLE_DATA } from '../example-data.test-util';

const DATA = EXAMPLE_DATA;

/** Writes a config file into a fresh temporary folder and returns its path. */
async function writeConfig(text: string, name = 'exp.ensemble.json'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ensemble-config-'));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function parse(
  text: string,
  path = '/tmp/none/exp.ensemble.json',
): ReturnType<typeof parseConfigText> {
  return parseConfigText(text, path);
}

/** A config text from its lines, so tests can say at which line a mistake sits. */
const lines = (...rows: string[]): string => rows.join('\n');

const irisData = `"data": { "train": "${DATA}/iris.csv", "target": "species" }`;

/** A member written as `{ "model": "mlp" }`, resolved. */
const DEFAULT_MLP = {
  name: 'mlp',
  model: 'mlp',
  hidden: [64],
  activation: 'relu',
  dropout: 0,
  batchNorm: false,
  l1: 0,
  l2: 0,
  filters: [16, 32],
  kernelSize: 3,
  dense: 64,
  minSamples: 3,
  trees: 20,
  maxFeatures: 0.7,
  options: {},
  trainable: false,
  level: 1,
  training: {},
};
const META = { ...DEFAULT_MLP, name: 'meta', model: 'linear' };

test('a minimal config resolves with the documented defaults', async () => {
  const path = await writeConfig(`{ ${irisData}, "members": [{ "model": "mlp" }] }`);
  const config = await loadConfig(path);
  assert.deepEqual(
    {
      training: config.training,
      ensemble: config.ensemble,
      test: config.data.test,
      validation: config.data.validationFraction,
      preprocess: config.data.preprocess,
      member: { ...config.members[0], source: undefined },
      metrics: config.evaluation.metrics,
      name: config.name,
    },
    {
      training: {
        epochs: 40,
        batchSize: 64,
        optimizer: 'adam',
        learningRate: 0.001,
        momentum: 0.9,
        schedule: { type: 'constant' },
        seed: 42,
      },
      ensemble: {
        method: 'voting',
        combine: 'soft-vote',
        bagging: {
          bootstrap: true,
          maxSamples: 1,
          maxFeatures: 1,
          oobScore: true,
          classBalanced: false,
        },
        adaboost: { learningRate: 1, resample: true },
        gradientBoosting: { shrinkage: 1, patience: 2 },
        stacking: { folds: 5, passthrough: false, meta: META },
        selection: { rounds: 25, runs: [] },
        pruning: { keep: 3, by: 'score', runs: [] },
        snapshot: { cycles: 5 },
        fge: { cycles: 4, cycleEpochs: 2 },
      },
      test: { kind: 'fraction', fraction: 0.2, stratify: true },
      validation: 0.1,
      preprocess: {
        numeric: 'standardize',
        impute: 'mean',
        text: { maxFeatures: 1000, minDocuments: 2, weighting: 'tfidf' },
      },
      member: { ...DEFAULT_MLP, source: undefined },
      metrics: ['accuracy', 'f1-macro', 'log-loss'],
      name: 'exp',
    },
  );
});

test('relative data paths are made absolute from the config file folder', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ensemble-config-'));
  await copyFile(`${DATA}/wine.csv`, join(dir, 'wine.csv'));
  const path = join(dir, 'wine.ensemble.json');
  await writeFile(
    path,
    `{ "data": { "train": "wine.csv", "target": "cultivar" }, "members": [{ "model": "linear" }] }`,
  );
  const config = await loadConfig(path);
  assert.deepEqual(config.data.train, {
    kind: 'table',
    path: join(dir, 'wine.csv'),
    format: 'csv',
  });
});

test('count: 3 expands into members name-1..name-3 that keep the member training', () => {
  const text = `{ ${irisData}, "members": [
    { "name": "deep", "model": "mlp", "hidden": [32, 16], "count": 3, "training": { "epochs": 5 } },
    { "model": "linear" }
  ] }`;
  const { config } = parse(text);
  assert.deepEqual(
    config?.members.map((m) => [m.name, m.hidden, m.training, m.source]),
    [
      ['deep-1', [32, 16], { epochs: 5 }, { index: 0, copy: 1 }],
      ['deep-2', [32, 16], { epochs: 5 }, { index: 0, copy: 2 }],
      ['deep-3', [32, 16], { epochs: 5 }, { index: 0, copy: 3 }],
      ['linear', [64], {}, { index: 1 }],
    ],
  );
});

test('a schedule, early stopping and idx-free test file get their own defaults', () => {
  const text = `{ "data": { "train": "${DATA}/iris.csv", "target": "species",
      "test": { "file": "${DATA}/iris.csv" } },
    "members": [{ "model": "mlp" }],
    "training": { "schedule": { "type": "cyclic" }, "earlyStopping": { "patience": 3 } } }`;
  const { config } = parse(text);
  assert.deepEqual(
    [config?.training.schedule, config?.training.earlyStopping, config?.data.test],
    [
      { type: 'cyclic', minLearningRate: 0, cycleLength: 10 },
      { patience: 3, monitor: 'loss', minDelta: 0, restoreBestWeights: true },
      { kind: 'source', source: { kind: 'table', path: `${DATA}/iris.csv`, format: 'csv' } },
    ],
  );
});

test('positions record where each setting is written (1-based line and column)', () => {
  const text = lines(
    '{',
    `  ${irisData},`,
    '  "members": [{ "model": "mlp" }],',
    '  "ensemble": { "combine": "hard-vote" }',
    '}',
  );
  const { config } = parse(text);
  assert.deepEqual(config?.positions?.['ensemble.combine'], {
    line: 4,
    column: 28,
    endLine: 4,
    endColumn: 39,
  });
});

test('a misspelt key is reported at its line and column with the nearest valid key', () => {
  const text = lines(
    '{',
    `  ${irisData},`,
    '  "members": [{ "model": "mlp" }],',
    '  "training": { "optimiser": "sgd" }',
    '}',
  );
  const { problems } = parse(text);
  assert.deepEqual(problems, [
    {
      message: '"optimiser" is not a setting of "training"; did you mean "optimizer"?',
      severity: 'error',
      line: 4,
      column: 17,
      endLine: 4,
      endColumn: 28,
    },
  ]);
});

test('three problems in one file are all reported, in file order', () => {
  const text = `{
  "data": { "train": "iris.csv", "target": "species", "test": { "fraction": 1.5 } },
  "members": [{ "model": "mlp", "dropot": 0.2 }],
  "training": { "learningRate": 0 }
}`;
  const { problems } = parse(text);
  assert.deepEqual(
    problems.map((p) => `${p.line}:${p.column} ${p.message}`),
    [
      '2:77 "fraction" must be a number greater than 0 and less than 1, not 1.5',
      '3:33 "dropot" is not a setting of "members[0]"; did you mean "dropout"?',
      '4:33 "learningRate" must be a number greater than 0, not 0',
    ],
  );
});

test('a syntax error is reported at its position with a sentence', () => {
  const text = `{\n  ${irisData}\n  "members": [{ "model": "mlp" }]\n}`;
  const { problems } = parse(text);
  assert.deepEqual(
    problems.map((p) => [p.line, p.column, p.message]),
    [[3, 3, 'expected a comma or closing brace } here']],
  );
});

test('a missing comma inside a list names the closing bracket', () => {
  const text = `{ ${irisData}, "members": [{ "model": "mlp" } { "model": "linear" }] }`;
  assert.equal(parse(text).problems[0]?.message, 'expected a comma or closing bracket ] here');
});

test('a missing data file is reported at the train value, naming the path and folder', async () => {
  const path = await writeConfig(
    lines(
      '{',
      '  "data": { "train": "data/digtis.csv", "target": "digit" },',
      '  "members": [{ "model": "mlp" }]',
      '}',
    ),
  );
  const dir = join(path, '..');
  await assert.rejects(loadConfig(path), (e: unknown) => {
    assert.ok(e instanceof UserError);
    assert.equal(
      e.toString(),
      `${path}:2:22: data file "data/digtis.csv" does not exist (looked in ${dir}/data); ` +
        'check the path, which is relative to this config file',
    );
    return true;
  });
});

test('a missing config file is a UserError naming it', async () => {
  await assert.rejects(loadConfig('/tmp/no-such-dir/x.ensemble.json'), {
    name: 'UserError',
    message: 'config file "/tmp/no-such-dir/x.ensemble.json" does not exist; check the path',
  });
});

test('a wrong enum value lists the choices', () => {
  const members = '"members": [{ "model": "mlp" }]';
  const text = `{ ${irisData}, ${members}, "ensemble": { "method": "boosting" } }`;
  assert.equal(
    parse(text).problems[0]?.message,
    '"method" must be one of voting, averaging, bagging, adaboost, gradient-boosting, stacking, selection, pruning, snapshot, fge, fusion; "boosting" is not one of them',
  );
});

test('a wrong schedule type is one sentence, not one per schedule kind', () => {
  const members = '"members": [{ "model": "mlp" }]';
  const text = `{ ${irisData}, ${members}, "training": { "schedule": { "type": "cosin" } } }`;
  assert.deepEqual(
    parse(text).problems.map((p) => p.message),
    [
      '"type" must be one of constant, step, cosine, cyclic; "cosin" is not one of them; ' +
        'did you mean "cosine"?',
    ],
  );
});

test('a table source without target asks for the target', () => {
  const text = lines(
    '{',
    `  "data": { "train": "${DATA}/iris.csv" },`,
    '  "members": [{ "model": "mlp" }]',
    '}',
  );
  const [problem] = parse(text).problems;
  assert.deepEqual(
    [problem?.line, problem?.column, problem?.message.startsWith('"data" needs "target"')],
    [2, 3, true],
  );
});

test('weighted combine needs one weight per member after count expansion', () => {
  const text = `{ ${irisData}, "members": [{ "model": "mlp", "count": 3 }, { "model": "linear" }],
    "ensemble": { "combine": "weighted", "weights": [1, 2] } }`;
  assert.deepEqual(
    parse(text).problems.map((p) => p.message),
    [
      '"weights" has 2 entries but the ensemble has 4 members after "count" copies ' +
        '(mlp-1, mlp-2, mlp-3, linear); give one weight per member',
    ],
  );
});

test('member names must stay unique after count expansion', () => {
  const members = '[{ "model": "mlp", "count": 2 }, { "name": "mlp-2", "model": "linear" }]';
  const text = `{ ${irisData}, "members": ${members} }`;
  assert.deepEqual(
    parse(text).problems.map((p) => p.message),
    ['member name "mlp-2" is already used by members[0]; give this member its own "name"'],
  );
});

test('warnings do not stop the config from resolving', () => {
  const text = `{ ${irisData}, "members": [{ "model": "linear", "hidden": [8] }] }`;
  const { config, problems } = parse(text);
  assert.deepEqual([config?.members.length, problems.map((p) => p.severity)], [1, ['warning']]);
});

test('several errors make loadConfig throw UserErrors carrying each of them', async () => {
  const path = await writeConfig(
    `{ "data": { "train": "a.csv" }, "members": [], "training": { "seed": 1.5 } }`,
  );
  await assert.rejects(loadConfig(path), (e: unknown) => {
    assert.ok(e instanceof UserErrors);
    assert.equal(e.problems.length, 3);
    return true;
  });
});
