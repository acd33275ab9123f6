import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunManifest } from '../src/core/runs/manifest';
import type { RunReport } from '../src/core/runs/report';
import type { RunJson } from '../src/cli/output';
import { cli, workspace, writeConfig } from './helpers';

const IRIS = `{
  "name": "iris",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [8], "count": 2 }],
  "training": { "epochs": 30, "batchSize": 16, "learningRate": 0.02, "seed": 3 }
}
`;

let dir: string;
let trained: RunJson;

function runDir(id: string): string {
  return join(dir, '.ensemble-lab', 'runs', id);
}

function savedReport(): RunReport {
  return JSON.parse(readFileSync(join(runDir(trained.run.id), 'report.json'), 'utf8')) as RunReport;
}

/** Runs the CLI with `--json` and parses standard output, which must be one JSON value. */
function json<T>(args: string[]): T {
  const result = cli([...args, '--json'], dir);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** A copy of the trained run under another id, for tests that damage a run. */
function copyRun(id: string, edit: (manifest: RunManifest) => RunManifest): void {
  cpSync(runDir(trained.run.id), runDir(id), { recursive: true });
  const path = join(runDir(id), 'run.json');
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as RunManifest;
  writeFileSync(path, JSON.stringify(edit({ ...manifest, id })));
}

before(() => {
  dir = workspace();
  const result = cli(['train', writeConfig(dir, 'iris.ensemble.json', IRIS), '--json'], dir);
  assert.equal(result.status, 0, result.stderr);
  trained = JSON.parse(result.stdout) as RunJson;
});

describe('train, runs and show with --json', () => {
  test('train --json prints the completed run and nothing else on standard output', () => {
    assert.equal(trained.run.status, 'completed');
  });

  test('runs --json lists the run with its status', () => {
    const runs = json<RunManifest[]>(['runs']);
    assert.deepEqual(
      runs.map((r) => [r.id, r.status]),
      [[trained.run.id, 'completed']],
    );
  });

  test("show --json carries the ensemble's accuracy from report.json", () => {
    const shown = json<RunJson>(['show', trained.run.id]);
    assert.equal(shown.report?.ensemble.metrics.accuracy, savedReport().ensemble.metrics.accuracy);
  });
});

describe('eval', () => {
  test("on the run's own test split it reproduces the report's ensemble accuracy", () => {
    const evaluated = json<{ report: RunReport }>(['eval', trained.run.id]);
    const expected = savedReport().ensemble.metrics.accuracy;
    assert.ok(Math.abs(evaluated.report.ensemble.metrics.accuracy - expected) < 1e-9);
  });

  test('prints the same leaderboard as show', () => {
    const shown = cli(['show', trained.run.id], dir).stdout;
    assert.equal(cli(['eval', trained.run.id], dir).stdout, shown);
  });

  test('with --data scores every row of that file', () => {
    const evaluated = json<{ report: RunReport }>([
      'eval',
      trained.run.id,
      '--data',
      'data/iris.csv',
    ]);
    assert.equal(evaluated.report.split.test, 150);
  });

  test('with --data on the training file gives a plausible accuracy', () => {
    const evaluated = json<{ report: RunReport }>([
      'eval',
      trained.run.id,
      '--data',
      'data/iris.csv',
    ]);
    assert.ok(evaluated.report.ensemble.metrics.accuracy > 0.8);
  });

  test('with --data says in its table which file the rows came from', () => {
    const text = cli(['eval', trained.run.id, '--data', 'data/iris.csv'], dir).stdout;
    assert.match(text, /rows: 150 from .*iris\.csv/);
  });

  test('with --data on a file without the target exits 2 naming the file and the column', () => {
    const csv = readFileSync(join(dir, 'data', 'iris.csv'), 'utf8');
    writeFileSync(join(dir, 'unlabelled.csv'), csv.replace(/,[^,\n]+$/gm, ''));
    const result = cli(['eval', trained.run.id, '--data', 'unlabelled.csv'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^error: \S*unlabelled\.csv:1: .*"species"[^\n]*\n$/);
  });
});

describe('predict', () => {
  test('--out writes a header of label and class probabilities, then a line per row', () => {
    const result = cli(['predict', trained.run.id, 'data/iris.csv', '--out', 'p.csv'], dir);
    assert.equal(result.status, 0, result.stderr);
    const lines = readFileSync(join(dir, 'p.csv'), 'utf8').trim().split('\n');
    assert.equal(lines.length, 1 + 150);
    assert.equal(lines[0], 'prediction,p_setosa,p_versicolor,p_virginica');
  });
});

describe('exit codes and stack traces', () => {
  describe('a run that starts and then fails', () => {
    let result: { status: number | null; stderr: string };
    before(() => {
      copyRun('broken', (m) => ({ ...m, status: 'cancelled' }));
      for (const member of ['mlp-1', 'mlp-2'])
        writeFileSync(join(runDir('broken'), 'members', member, 'model.json'), '{ not json');
      result = cli(['resume', 'broken'], dir);
    });

    test('exits 1', () => {
      assert.equal(result.status, 1);
    });

    test('ends with one line giving the reason', () => {
      assert.match(result.stderr, /\nerror: run broken failed: [^\n]*no trained member[^\n]*\n$/);
    });

    test('prints no stack trace', () => {
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    });
  });

  test('an unexpected error prints no stack trace without --verbose', () => {
    copyRun('no-preprocessor', (m) => m);
    writeFileSync(join(runDir('no-preprocessor'), 'preprocessor.json'), '{}');
    const result = cli(['eval', 'no-preprocessor', '--data', 'data/iris.csv'], dir);
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('an unexpected error prints its stack trace with --verbose', () => {
    copyRun('no-preprocessor-2', (m) => m);
    writeFileSync(join(runDir('no-preprocessor-2'), 'preprocessor.json'), '{}');
    const args = ['eval', 'no-preprocessor-2', '--data', 'data/iris.csv', '--verbose'];
    assert.match(cli(args, dir).stderr, /\n\s+at /);
  });
});

describe('rerun', () => {
  let again: RunJson;

  before(() => {
    writeConfig(dir, 'iris.ensemble.json', IRIS.replace('"epochs": 30', '"epochs": 5'));
    again = json<RunJson>(['rerun', trained.run.id]);
  });

  test('trains a new run, not the old one again', () => {
    assert.notEqual(again.run.id, trained.run.id);
  });

  test("uses the earlier run's config even after the file changed", () => {
    assert.equal(again.run.configHash, trained.run.configHash);
  });

  test('reproduces the earlier run with its seed', () => {
    assert.deepEqual(again.report?.ensemble.metrics, savedReport().ensemble.metrics);
  });
});
