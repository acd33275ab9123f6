import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseConfigText } from '../src/core/config/load';
import { EXAMPLES } from './helpers';

/** The error problems of a config text, as `line: message`. */
function errors(text: string): string[] {
  const { problems } = parseConfigText(text, join(EXAMPLES, 'x.ensemble.json'));
  return problems.filter((p) => p.severity === 'error').map((p) => `${p.line}: ${p.message}`);
}

const config = (members: string, ensemble: string): string => `{
  "data": { "train": "data/breast_cancer.csv", "target": "diagnosis" },
  "members": [
    ${members}
  ],
  "ensemble": ${ensemble}
}`;

describe('bad ensemble input is one sentence at the setting to change', () => {
  test('an unknown method names its line and the known methods', () => {
    const found = errors(config('{ "model": "mlp" }', '{ "method": "boosting" }'));

    assert.equal(found.length, 1);
    assert.match(
      found[0],
      /^6: "method" must be one of voting, .*adaboost.*; "boosting" is not one of them/,
    );
  });

  test('a tree in AdaBoost with resampling off names the member and says what to change', () => {
    const found = errors(
      config(
        '{ "model": "mlp" },\n    { "model": "tree", "maxDepth": 1 }',
        '{ "method": "adaboost", "adaboost": { "resample": false } }',
      ),
    );

    assert.equal(found.length, 1);
    assert.match(found[0], /^5: a "tree" member cannot take AdaBoost's sample weights/);
    assert.match(found[0], /set "resample" to true/);
  });

  test('the same tree with resampling on is fine', () => {
    const found = errors(config('{ "model": "tree", "maxDepth": 1 }', '{ "method": "adaboost" }'));

    assert.deepEqual(found, []);
  });

  test('a tree in gradient boosting names the member', () => {
    const found = errors(config('{ "model": "forest" }', '{ "method": "gradient-boosting" }'));

    assert.equal(found.length, 1);
    assert.match(found[0], /^4: gradient boosting fits residuals .* "forest" member cannot/);
  });

  test('a custom member without a module says what to add', () => {
    const found = errors(config('{ "model": "custom" }', '{ "method": "voting" }'));

    assert.deepEqual(found, [
      '4: a "custom" member needs "module": a JavaScript or TypeScript module that builds the model',
    ]);
  });

  test('a saved member whose model.json is missing names its path', () => {
    const found = errors(
      config('{ "model": "saved", "path": "models/none/model.json" }', '{ "method": "voting" }'),
    );

    assert.equal(found.length, 1);
    assert.match(found[0], /^4: "models\/none\/model\.json" does not exist/);
  });

  test('class weights with a tree member are a warning at the setting, not silently dropped', () => {
    const text = config('{ "model": "tree" }', '{ "method": "voting" }').replace(
      '"ensemble"',
      '"training": { "classWeights": "balanced" },\n  "ensemble"',
    );
    const { problems } = parseConfigText(text, join(EXAMPLES, 'x.ensemble.json'));

    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.line}: ${p.message}`),
      [
        'warning 6: "classWeights" has no effect on the "tree" member "tree": trees and forests take no weights',
      ],
    );
  });

  test('a member named like the stacking meta-learner is an error at its name', () => {
    const found = errors(config('{ "name": "meta", "model": "mlp" }', '{ "method": "stacking" }'));

    assert.equal(found.length, 1);
    assert.match(found[0], /^4: member name "meta" is also the name of the stacking meta-learner/);
  });

  test('a combine rule written with AdaBoost is a warning that it is not used', () => {
    const text = config('{ "model": "tree" }', '{ "method": "adaboost", "combine": "soft-vote" }');
    const { problems } = parseConfigText(text, join(EXAMPLES, 'x.ensemble.json'));

    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.line}: ${p.message}`),
      ['warning 6: "combine" is not used by method "adaboost", which combines its members itself'],
    );
  });

  test('AdaBoost on a regression target names the method', () => {
    const text = config('{ "model": "tree" }', '{ "method": "adaboost" }').replace(
      '"target": "diagnosis"',
      '"target": "diagnosis", "task": "regression"',
    );

    assert.deepEqual(errors(text), [
      '6: method "adaboost" (SAMME) needs a classification target, but data.task is "regression"',
    ]);
  });
});
