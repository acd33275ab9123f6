import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXAMPLE_DATA } from '../example-data.test-util';
import { parseConfigText } from './load';

const config = (method: string, model: string) =>
  [
    '{',
    `  "data": { "train": "${EXAMPLE_DATA}/iris.csv", "target": "species" },`,
    `  "members": [{ "model": "${model}" }],`,
    `  "ensemble": { "method": "${method}" }`,
    '}',
  ].join('\n');

for (const method of ['snapshot', 'fge', 'fusion']) {
  test(`method "${method}" with a tree member is an error at the member's model`, () => {
    const { problems } = parseConfigText(config(method, 'tree'), '/tmp/x/t.ensemble.json');
    const found = problems.filter((p) => p.severity === 'error');
    assert.deepEqual(
      found.map((p) => [p.line, p.message.includes(`method "${method}"`)]),
      [[3, true]],
    );
  });
}

test('method "snapshot" with an mlp member has no problem', () => {
  const { problems } = parseConfigText(config('snapshot', 'mlp'), '/tmp/x/t.ensemble.json');
  assert.equal(problems.length, 0);
});

test('evaluation settings resolve with their defaults', () => {
  const text = config('bagging', 'mlp').replace(
    '"ensemble"',
    '"evaluation": { "crossValidation": {}, "biasVariance": {} },\n  "ensemble"',
  );
  const evaluation = parseConfigText(text, '/tmp/x/t.ensemble.json').config?.evaluation;
  assert.deepEqual(
    [evaluation?.crossValidation, evaluation?.biasVariance, evaluation?.bootstrap],
    [{ folds: 5, stratify: true }, { rounds: 10 }, { resamples: 1000, level: 0.95 }],
  );
});
