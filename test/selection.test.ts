import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UserError } from '../src/core/errors';
import { RunStore } from '../src/core/runs/store';
import { EXAMPLES, trainInProcess, workspace } from './helpers';

const example = readFileSync(join(EXAMPLES, 'breast-cancer-selection.ensemble.json'), 'utf8');

/** An earlier run on the same data and seed: two MLPs voting. */
const EARLIER = example
  .replace(
    /"members": \[[\s\S]*?\n {2}\],/,
    '"members": [{ "name": "old", "model": "mlp", "hidden": [32], "count": 2 }],',
  )
  .replace('"method": "selection"', '"method": "voting"')
  .replace('"name": "breast-cancer-selection"', '"name": "earlier"');

test('greedy selection from its own members and an earlier run', async (t) => {
  const dir = workspace();
  const earlier = await trainInProcess(dir, 'earlier.ensemble.json', EARLIER);
  const config = example.replace('"runs": []', `"runs": ["${earlier.id}"]`);
  const { id, report } = await trainInProcess(dir, 'select.ensemble.json', config);
  const library = report.members.filter((m) => m.validationScore !== undefined);

  await t.test("the library holds the earlier run's members beside its own", () => {
    const names = library.map((m) => m.name);
    assert.ok(names.includes(`${earlier.id}.old-1`) && names.includes('linear'), names.join());
  });

  await t.test('the weights sum to 1', () => {
    const total = report.members.reduce((s, m) => s + (m.weight ?? 0), 0);
    assert.ok(Math.abs(total - 1) < 1e-9, `${total}`);
  });

  await t.test('each weight is the pick count over the kept prefix', () => {
    const kept = report.methodDetails?.kept as number;
    assert.ok(
      report.members.every((m) => Math.abs((m.weight ?? 0) - (m.count ?? 0) / kept) < 1e-9),
    );
  });

  await t.test("its validation log loss is at most the best single member's", () => {
    const best = Math.min(...library.map((m) => m.validationScore ?? Infinity));
    const mine = report.ensemble.validationMetrics?.['log-loss'] ?? Infinity;
    assert.ok(mine <= best + 1e-9, `ensemble ${mine}, best member ${best}`);
  });

  await t.test('the earlier members are copied into the new run', () => {
    const run = new RunStore(join(dir, '.ensemble-lab')).open(id);
    assert.ok(existsSync(join(run.memberDir(`${earlier.id}.old-1`), 'model.json')));
  });
});

test('a run id that is not in the store is an error at its place in "runs"', async () => {
  const dir = workspace();
  const config = example.replace('"runs": []', '"runs": ["20260101-000000-nothing"]');
  const line = config.split('\n').findIndex((l) => l.includes('20260101-000000-nothing')) + 1;

  await assert.rejects(
    trainInProcess(dir, 'bad.ensemble.json', config),
    (error: unknown) =>
      error instanceof UserError &&
      error.where?.line === line &&
      /no run "20260101-000000-nothing"/.test(error.message),
  );
});

test('a run with another seed is refused: its members may have seen the test rows', async () => {
  const dir = workspace();
  const earlier = await trainInProcess(
    dir,
    'e.ensemble.json',
    EARLIER.replace('"seed": 11', '"seed": 12').replace('"epochs": 30', '"epochs": 2'),
  );
  const config = example.replace('"runs": []', `"runs": ["${earlier.id}"]`);

  await assert.rejects(
    trainInProcess(dir, 's.ensemble.json', config),
    /split it with another seed/,
  );
});
