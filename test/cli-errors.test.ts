import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, test } from 'node:test';
import type { ValidationProblem } from '../src/cli/commands';
import { cli, workspace, writeConfig } from './helpers';

const IRIS = (extra: string): string => `{
  "name": "iris",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [8] }],
  "training": { "epochs": 2${extra} }
}
`;

/** Runs `ensemble-lab train` on a config and returns what a user sees. */
function trainFails(dir: string, config: string): { code: number | null; stderr: string } {
  const result = cli(['train', config], dir);
  return { code: result.status, stderr: result.stderr };
}

describe('bad input gives exit code 2 and one sentence with the place and the fix', () => {
  test('a misspelt key names its line and column and suggests the right key', () => {
    const dir = workspace();
    const config = writeConfig(dir, 'a.ensemble.json', IRIS(', "optimiser": "adam"'));
    const { code, stderr } = trainFails(dir, config);
    assert.equal(code, 2);
    assert.match(stderr, /a\.ensemble\.json:5:\d+: .*"optimiser".*did you mean "optimizer"/);
  });

  test('a missing data file is named', () => {
    const dir = workspace();
    const config = writeConfig(
      dir,
      'b.ensemble.json',
      IRIS('').replace('data/iris.csv', 'data/irsi.csv'),
    );
    const { code, stderr } = trainFails(dir, config);
    assert.equal(code, 2);
    assert.match(stderr, /b\.ensemble\.json:3:\d+: .*data\/irsi\.csv/);
  });

  test('a target column that does not exist is named with the columns there are', () => {
    const dir = workspace();
    const config = writeConfig(dir, 'c.ensemble.json', IRIS('').replace('"species"', '"specie"'));
    const { code, stderr } = trainFails(dir, config);
    assert.equal(code, 2);
    assert.match(stderr, /"specie".*species/);
  });

  test('a ragged CSV row names its line', () => {
    const dir = workspace();
    const csv = readFileSync(join(dir, 'data', 'iris.csv'), 'utf8').split('\n');
    csv[41] = '5.0,3.5,1.3,setosa';
    writeFileSync(join(dir, 'data', 'iris.csv'), csv.join('\n'));
    const { code, stderr } = trainFails(dir, writeConfig(dir, 'd.ensemble.json', IRIS('')));
    assert.equal(code, 2);
    assert.match(stderr, /iris\.csv:42\b/);
  });

  test('a word in a numeric column names its line and column', () => {
    const dir = workspace();
    const csv = readFileSync(join(dir, 'data', 'iris.csv'), 'utf8').split('\n');
    csv[9] = csv[9].replace(/^[^,]+,/, '5.1,').replace(/,[^,]+,/, ',three,');
    writeFileSync(join(dir, 'data', 'iris.csv'), csv.join('\n'));
    const config = IRIS('').replace(
      '"target": "species"',
      '"target": "species", "columns": { "sepal_width": "numeric" }',
    );
    const { code, stderr } = trainFails(dir, writeConfig(dir, 'e.ensemble.json', config));
    assert.equal(code, 2);
    assert.match(stderr, /iris\.csv:10:2\b.*"three"/);
  });

  test('a regression target under a classification combine rule points at the rule', () => {
    const dir = workspace();
    const config = `{
  "name": "diabetes",
  "data": { "train": "data/diabetes.csv", "target": "progression" },
  "members": [{ "name": "mlp", "model": "mlp" }],
  "training": { "epochs": 2 },
  "ensemble": { "method": "voting", "combine": "soft-vote" }
}
`;
    const { code, stderr } = trainFails(dir, writeConfig(dir, 'f.ensemble.json', config));
    assert.equal(code, 2);
    assert.match(stderr, /f\.ensemble\.json:6:\d+: .*soft-vote.*regression/);
  });

  test('no expected mistake prints a stack trace', () => {
    const dir = workspace();
    const config = writeConfig(dir, 'g.ensemble.json', IRIS(', "optimiser": "adam"'));
    assert.doesNotMatch(trainFails(dir, config).stderr, /\n\s+at /);
  });

  test('a usage mistake exits 2, not 1', () => {
    const dir = workspace();
    const config = writeConfig(dir, 'h.ensemble.json', IRIS(''));
    assert.equal(cli(['train', config, '--seed', 'seven'], dir).status, 2);
  });
});

describe('validate --json', () => {
  const dir = workspace();
  const text = IRIS(', "optimiser": "adam"').replace('"model": "mlp"', '"model": "mlpp"');
  const result = cli(['validate', writeConfig(dir, 'v.ensemble.json', text), '--json'], dir);
  const { problems } = JSON.parse(result.stdout) as { problems: ValidationProblem[] };

  test('exits 2 when the config has an error', () => {
    assert.equal(result.status, 2);
  });

  test('lists both problems with their line and column', () => {
    const places = problems.map((p) => [p.line, p.column]);
    assert.deepEqual(places, [
      [4, 41],
      [5, 30],
    ]);
  });

  test('names the file in each problem', () => {
    assert.deepEqual(
      problems.map((p) => basename(p.file)),
      ['v.ensemble.json', 'v.ensemble.json'],
    );
  });
});
