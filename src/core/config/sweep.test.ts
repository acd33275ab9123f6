import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { EXAMPLE_DATA } from '../example-data.test-util';
import { parseConfigText } from './load';
import type { ConfigProblem } from './problems';

const WHEN_SGD = '{ "training.optimizer": "sgd" }';
const PATH = join(EXAMPLE_DATA, '..', 'sweep-test.ensemble.json');

/** A digits config whose sweep section holds `parameters` and the extra `sweep` settings. */
function config(parameters: string[], extra: string[] = []): string {
  return [
    '{',
    '  "data": { "train": "data/digits.csv", "target": "digit" },',
    '  "members": [{ "model": "mlp", "hidden": [16] }],',
    '  "sweep": {',
    ...extra.map((line) => `    ${line},`),
    '    "parameters": {',
    ...parameters.map((line, i) => `      ${line}${i < parameters.length - 1 ? ',' : ''}`),
    '    }',
    '  }',
    '}',
  ].join('\n');
}

function errors(text: string): ConfigProblem[] {
  return parseConfigText(text, PATH).problems.filter((p) => p.severity === 'error');
}

const place = (p: ConfigProblem | undefined): string => `${p?.line}:${p?.column}`;

/** Where `fragment` first starts in `text`, as `line:column`. */
function at(text: string, fragment: string): string {
  const before = text.slice(0, text.indexOf(fragment)).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

test('a sweep section resolves with its defaults and its parameters in writing order', () => {
  const text = config([
    '"training.learningRate": { "type": "log-uniform", "low": 0.0001, "high": 0.1 }',
    '"members[0].hidden[0]": { "type": "int", "low": 8, "high": 64, "log": true }',
    '"ensemble.combine": { "type": "categorical", "choices": ["soft-vote", "hard-vote"] }',
  ]);
  const sweep = parseConfigText(text, PATH).config?.sweep;
  assert.deepEqual(sweep, {
    parameters: [
      { path: 'training.learningRate', kind: 'float', low: 0.0001, high: 0.1, log: true },
      { path: 'members[0].hidden[0]', kind: 'int', low: 8, high: 64, step: 1, log: true },
      { path: 'ensemble.combine', kind: 'categorical', choices: ['soft-vote', 'hard-vote'] },
    ],
    objective: { split: 'validation' },
    sampler: {
      type: 'tpe',
      seed: 0,
      startupTrials: 10,
      candidates: 24,
      gamma: 0.25,
      gridPoints: 5,
    },
    pruner: { type: 'none' },
    trials: 20,
    parallel: 1,
  });
});

test('a condition resolves to the path and the values that make a parameter searched', () => {
  const text = config([
    '"training.optimizer": { "type": "categorical", "choices": ["adam", "sgd"] }',
    `"training.momentum": { "type": "uniform", "low": 0.5, "high": 0.95, "when": ${WHEN_SGD} }`,
  ]);
  const momentum = parseConfigText(text, PATH).config?.sweep?.parameters[1];
  assert.deepEqual(momentum?.when, { path: 'training.optimizer', values: ['sgd'] });
});

test('an empty range is an error at its "high" value', () => {
  const text = config([
    '"training.learningRate": { "type": "log-uniform", "low": 0.1, "high": 0.01 }',
  ]);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '0.01 }'));
  assert.match(problem.message, /range of "training.learningRate" is empty/);
});

test('an entry the config does not have is an error at the path, saying how many there are', () => {
  const text = config(['"members[1].hidden[0]": { "type": "int", "low": 8, "high": 64 }']);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '"members[1]'));
  assert.match(problem.message, /"members" has 1 entry, so there is no \[1\]/);
});

test('a misspelt setting is an error at the path that suggests the right name', () => {
  const text = config(['"training.learnRate": { "type": "uniform", "low": 0, "high": 1 }']);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '"training.learnRate"'));
  assert.match(problem.message, /did you mean "learningRate"\?$/);
});

test('a setting the config does not write but the schema knows can be searched', () => {
  const text = config(['"members[0].count": { "type": "int", "low": 1, "high": 3 }']);
  assert.deepEqual(errors(text), []);
});

test('a categorical with no choices is an error at its choices', () => {
  const text = config(['"ensemble.combine": { "type": "categorical", "choices": [] }']);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '[]'));
  assert.match(problem.message, /"choices" needs at least 1 entry/);
});

test('a choice that is not valid where it goes is an error that quotes the schema', () => {
  const text = config([
    '"ensemble.combine": { "type": "categorical", "choices": ["soft-vote", "max"] }',
  ]);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '"ensemble.combine"'));
  assert.match(problem.message, /would try "max", but then "combine" must be one of/);
});

test('an objective that is not a metric is an error at the metric that suggests one', () => {
  const text = config(
    ['"training.learningRate": { "type": "uniform", "low": 0.001, "high": 0.01 }'],
    ['"objective": { "metric": "acuracy" }'],
  );
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '"acuracy"'));
  assert.match(problem.message, /did you mean "accuracy"\?/);
});

test('a condition on a setting that is not searched before it is an error at its key', () => {
  const text = config([
    `"training.momentum": { "type": "uniform", "low": 0.5, "high": 0.9, "when": ${WHEN_SGD} }`,
  ]);
  const [problem] = errors(text);
  assert.equal(place(problem), at(text, '"training.optimizer"'));
  assert.match(problem.message, /not a searched setting written before it/);
});

test('parallel trials above 1 resolve as written, with no warning', () => {
  const text = config(
    ['"training.learningRate": { "type": "uniform", "low": 0.001, "high": 0.01 }'],
    ['"parallel": 2'],
  );
  const { config: resolved, problems } = parseConfigText(text, PATH);
  assert.deepEqual([resolved?.sweep?.parallel, problems.map((p) => p.message)], [2, []]);
});
