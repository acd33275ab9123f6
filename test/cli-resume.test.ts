import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TrainerEvent } from '../src/protocol/events';
import { cli, cliAsync, workspace, writeConfig } from './helpers';

const CONFIG = `{
  "name": "digits-kill",
  "data": { "train": "data/digits.csv", "target": "digit" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [32], "count": 3 }],
  "training": { "epochs": 12, "batchSize": 64, "seed": 1 },
  "ensemble": { "method": "bagging" }
}
`;

function events(dir: string): TrainerEvent[] {
  const runs = join(dir, '.ensemble-lab', 'runs');
  if (!existsSync(runs)) return [];
  const [run] = readdirSync(runs);
  const path = join(runs, run, 'events.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{') && l.endsWith('}'))
    .map((l) => JSON.parse(l) as TrainerEvent);
}

/** Starts training, waits until the first member is done, and kills the process outright. */
async function killAfterFirstMember(dir: string): Promise<string> {
  const child = cliAsync(['train', writeConfig(dir, 'k.ensemble.json', CONFIG)], dir);
  for (let waited = 0; waited < 300; waited++) {
    await new Promise((r) => setTimeout(r, 200));
    if (events(dir).some((e) => e.type === 'member-done')) break;
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return events(dir)[0].runId;
}

test('a run killed with SIGKILL reads as interrupted, predicts with what it finished, and resumes', async (t) => {
  const dir = workspace();
  const runId = await killAfterFirstMember(dir);
  const finishedBefore = events(dir)
    .filter((e) => e.type === 'member-done')
    .map((e) => (e as { member: string }).member);

  await t.test('it is listed as interrupted', () => {
    assert.match(cli(['runs'], dir).stdout, new RegExp(`${runId}\\s+interrupted`));
  });

  await t.test('its finished members predict every row of a file', () => {
    const result = cli(['predict', runId, 'data/digits.csv'], dir);
    assert.equal(result.stdout.trim().split('\n').length, 1 + 1797, result.stderr);
  });

  await t.test('resume trains only the members that were missing', () => {
    const result = cli(['resume', runId], dir);
    assert.equal(result.status, 0, result.stderr);
    const all = events(dir);
    const resumedAt = all.findIndex((e) => e.type === 'run-started' && e.resumed);
    const startedAfter = all
      .slice(resumedAt)
      .filter((e) => e.type === 'member-started')
      .map((e) => (e as { member: string }).member);
    assert.deepEqual(
      startedAfter.filter((m) => finishedBefore.includes(m)),
      [],
    );
  });

  await t.test('after resume the run is completed', () => {
    assert.match(cli(['runs'], dir).stdout, new RegExp(`${runId}\\s+completed`));
  });
});
