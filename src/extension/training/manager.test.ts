import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import type { RunReport } from '../../core/runs/report';
import { readJson } from '../../core/runs/files';
import { readRunSummary } from '../runs/summary';
import { type TrainingJob, TrainingManager } from './manager';

// These tests really train: they fork the bundled trainer (run `npm run build` first).
const root = resolve(import.meta.dirname, '../../..');
const trainerPath = join(root, 'dist/trainer.js');
const iris = join(root, 'examples/iris-voting.ensemble.json');

before(() => assert.ok(existsSync(trainerPath), 'dist/trainer.js is missing: npm run build'));

function store(): string {
  return mkdtempSync(join(tmpdir(), 'el-manager-'));
}

function finished(manager: TrainingManager, job: TrainingJob): Promise<TrainingJob> {
  return new Promise((done) => {
    manager.listen({ onFinished: (j) => j === job && done(j) });
  });
}

test('a Train request runs the trainer to run-done and leaves a completed run', async () => {
  const manager = new TrainingManager({ trainerPath });
  const events: string[] = [];
  manager.listen({ onEvent: (_job, e) => events.push(e.type) });
  const job = manager.train({ configPath: iris, storeRoot: store(), backend: 'cpu' });
  await finished(manager, job);

  assert.equal(job.outcome, 'completed');
  assert.equal(events.at(-1), 'run-done');
  const report = readJson<RunReport>(join(job.runDir ?? '', 'report.json'));
  assert.equal(report?.members.length, 3);
  assert.equal(readRunSummary(job.runDir ?? '')?.manifest.status, 'completed');
});

test('a second request waits in the queue until the first has finished', async () => {
  const manager = new TrainingManager({ trainerPath });
  const storeRoot = store();
  const first = manager.train({ configPath: iris, storeRoot, backend: 'cpu' });
  const second = manager.train({ configPath: iris, storeRoot, backend: 'cpu' });
  let secondStateWhenFirstEnded = '';
  manager.listen({ onFinished: (j) => j === first && (secondStateWhenFirstEnded = second.state) });

  assert.equal(second.state, 'queued');
  await finished(manager, second);
  assert.equal(secondStateWhenFirstEnded, 'queued');
  assert.equal(second.outcome, 'completed');
});

test('Stop cancels a running trainer and the run is kept as cancelled', async () => {
  const manager = new TrainingManager({ trainerPath });
  const job = manager.train({ configPath: iris, storeRoot: store(), backend: 'cpu' });
  const stops: string[] = [];
  manager.listen({
    onEvent: (j, e) => e.type === 'member-epoch' && !j.stopping && stops.push(manager.stop(j)),
  });
  await finished(manager, job);

  assert.deepEqual(stops, ['cancelling']);
  assert.equal(job.outcome, 'cancelled');
  assert.equal(readRunSummary(job.runDir ?? '')?.manifest.status, 'cancelled');
});

test('Stop on a queued request takes it out of the queue without training it', async () => {
  const manager = new TrainingManager({ trainerPath });
  const storeRoot = store();
  const first = manager.train({ configPath: iris, storeRoot, backend: 'cpu' });
  const second = manager.train({ configPath: iris, storeRoot, backend: 'cpu' });

  assert.equal(manager.stop(second), 'dequeued');
  await finished(manager, first);
  assert.equal(second.runDir, undefined);
  assert.equal(second.outcome, 'cancelled');
});

test('a config mistake ends the job as failed with the expected error naming the file', async () => {
  const dir = store();
  const configPath = join(dir, 'broken.ensemble.json');
  writeFileSync(configPath, '{ "data": { "train": "missing.csv", "target": "y" }, "members": [] }');
  const manager = new TrainingManager({ trainerPath });
  const job = manager.train({ configPath, storeRoot: dir, backend: 'cpu' });
  await finished(manager, job);

  assert.equal(job.outcome, 'failed');
  assert.equal(job.error?.expected, true);
  assert.match(job.error?.message ?? '', /broken\.ensemble\.json/);
});

test('another window reattaches to a live run from its event log and sees it finish', async () => {
  const storeRoot = store();
  const trainer = new TrainingManager({ trainerPath });
  const follower = new TrainingManager({ trainerPath, pollMs: 50 });
  const job = trainer.train({ configPath: iris, storeRoot, backend: 'cpu' });
  const attached = new Promise<TrainingJob[]>((found) => {
    trainer.listen({
      onEvent: (_j, e) => e.type === 'member-started' && found(follower.reattach(storeRoot)),
    });
  });
  const [followed] = await attached;
  await finished(follower, followed);

  assert.equal(followed.runDir, job.runDir);
  assert.equal(followed.outcome, 'completed');
  assert.equal(followed.progress.finished, 3);
});
