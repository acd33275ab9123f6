import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UserError, UserErrors } from '../errors';
import { parseConfigText } from './load';
import { checkTaskCompatibility } from './task';
import type { EnsembleConfig } from './types';
import { join } from 'node:path';
import { EXAMPLE_DATA } from '../example-data.test-util';

const PATH = '/tmp/none/diabetes.ensemble.json';

function configOf(ensemble: string, extra = ''): EnsembleConfig {
  const text = `{
  "data": { "train": ${JSON.stringify(join(EXAMPLE_DATA, 'diabetes.csv'))}, "target": "progression"${extra} },
  "members": [{ "model": "mlp" }],
  "ensemble": ${ensemble}
}`;
  const { config, problems } = parseConfigText(text, PATH);
  assert.ok(config, problems.map((p) => p.message).join('; '));
  return config;
}

test('soft-vote on a numeric target throws at the combine setting with the fix', () => {
  const config = configOf('{ "method": "voting", "combine": "soft-vote" }');
  assert.throws(
    () => checkTaskCompatibility(config, 'regression'),
    (e: unknown) => {
      assert.ok(e instanceof UserError && !(e instanceof UserErrors));
      assert.equal(
        e.toString(),
        `${PATH}:4:48: combine "soft-vote" needs a classification target, but "progression" ` +
          'is numeric (regression); use "mean" or "median", or set data.task',
      );
      return true;
    },
  );
});

test('a combine rule the file did not name follows the task of the data', () => {
  const config = configOf('{ "method": "bagging" }');
  checkTaskCompatibility(config, 'regression');
  assert.deepEqual(
    [config.ensemble.combine, config.evaluation.metrics, config.data.task],
    ['mean', ['rmse', 'mae', 'r2'], 'regression'],
  );
});

test('median on a classification target throws', () => {
  const config = configOf('{ "combine": "median" }');
  assert.throws(() => checkTaskCompatibility(config, 'classification'), {
    message:
      'combine "median" needs a regression target, but "progression" holds classes ' +
      '(classification); use "soft-vote", "hard-vote" or "weighted", or set data.task',
  });
});

test('a config built in code (no positions) is checked as written', () => {
  const config = { ...configOf('{ "combine": "hard-vote" }'), positions: undefined };
  assert.throws(() => checkTaskCompatibility(config, 'regression'), UserError);
});

test('an explicit task that contradicts combine is a problem while parsing', () => {
  const text = `{
  "data": {
    "train": ${JSON.stringify(join(EXAMPLE_DATA, 'diabetes.csv'))}, "target": "progression", "task": "regression"
  },
  "members": [{ "model": "mlp" }],
  "ensemble": { "combine": "hard-vote" }
}`;
  assert.deepEqual(
    parseConfigText(text, PATH).problems.map((p) => [p.line, p.column, p.message]),
    [
      [
        6,
        28,
        'combine "hard-vote" needs a classification target, but data.task is "regression"; ' +
          'use "mean" or "median"',
      ],
    ],
  );
});
