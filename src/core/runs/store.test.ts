import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readJsonLines } from './files';
import { RunStore } from './store';

const init = {
  configName: 'iris vote',
  configPath: '/x/iris.ensemble.json',
  configHash: 'abc',
  backend: 'wasm',
  backendReason: 'test',
  seed: 1,
  members: [{ name: 'mlp', kind: 'mlp', status: 'pending' as const }],
};

function store(): RunStore {
  return new RunStore(mkdtempSync(join(tmpdir(), 'store-')));
}

test('a new run is listed as running by this live process', async () => {
  const s = store();
  await s.create(init);
  assert.equal(s.list()[0].status, 'running');
});

test('a running run whose process is dead reads as interrupted', async () => {
  const s = store();
  const run = await s.create(init);
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  await run.update({ pid: Number(dead) });
  assert.equal(s.open(run.id).manifest.status, 'interrupted');
});

test('a run opens by a unique prefix of its id', async () => {
  const s = store();
  const run = await s.create(init);
  assert.equal(s.open(run.id.slice(0, 12)).id, run.id);
});

test('two runs of one config in the same second get different ids', async () => {
  const s = store();
  const first = await s.create(init);
  const second = await s.create(init);
  assert.notEqual(first.id, second.id);
});

test('the event log reader skips a torn last line', async () => {
  const s = store();
  const run = await s.create(init);
  run.appendEvent({ type: 'run-cancelled', runId: run.id, time: 1 });
  appendFileSync(run.eventsPath, '{"type":"member-ep');
  assert.equal(readJsonLines(run.eventsPath).length, 1);
});

test('a damaged line before the end is reported, not skipped', async () => {
  const s = store();
  const run = await s.create(init);
  appendFileSync(run.eventsPath, 'garbage\n');
  run.appendEvent({ type: 'run-cancelled', runId: run.id, time: 1 });
  assert.throws(() => run.events(), /events.jsonl:1: damaged event line/);
});

test('deleting a run that is still training is refused', async () => {
  const s = store();
  const run = await s.create(init);
  await assert.rejects(s.delete(run.id), /still training/);
});

test('a missing run id names the store and the command to list runs', () => {
  assert.throws(() => store().open('nope'), /ensemble-lab runs/);
});
