// Members trained at once on worker threads give the run that training them one after another
// in one thread gives: same seed, same backend, same numbers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { RunJson } from '../src/cli/output';
import { cli, workspace, writeConfig } from './helpers';

const WINE = `{
  "name": "wine-bagging",
  "data": { "train": "data/wine.csv", "target": "cultivar" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [16], "count": 4 }],
  "training": { "epochs": 15, "batchSize": 16, "seed": 2 },
  "ensemble": { "method": "bagging", "combine": "soft-vote", "maxFeatures": 0.8 }
}
`;

function train(dir: string, parallel: number): RunJson {
  const config = writeConfig(dir, 'wine.ensemble.json', WINE);
  const args = ['train', config, '--backend', 'wasm', '--parallel', String(parallel), '--json'];
  const result = cli(args, dir);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as RunJson;
}

describe('bagging members on two worker threads', () => {
  let dir: string;
  let alone: RunJson;
  let together: RunJson;

  before(() => {
    dir = workspace();
    alone = train(dir, 1);
    together = train(dir, 2);
  });

  test('give the ensemble the same test metrics as one thread', () => {
    assert.deepEqual(together.report?.ensemble.metrics, alone.report?.ensemble.metrics);
  });

  test('give every member the same test metrics as one thread', () => {
    const metrics = (run: RunJson): unknown => run.report?.members.map((m) => m.metrics);
    assert.deepEqual(metrics(together), metrics(alone));
  });

  test('train at once: the second member starts before the first is done', () => {
    const events = readFileSync(join(dir, '.ensemble-lab', 'runs', together.run.id, 'events.jsonl'))
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; member?: string });
    const at = (type: string, member: string): number =>
      events.findIndex((e) => e.type === type && e.member === member);
    assert.ok(at('member-started', 'mlp-2') < at('member-done', 'mlp-1'));
  });

  test('record every member as done in run.json', () => {
    assert.deepEqual(
      together.run.members.map((m) => m.status),
      ['done', 'done', 'done', 'done'],
    );
  });
});
