import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { RunStore } from '../src/core/runs/store';
import type { ChildMessage } from '../src/trainer/main';
import type { Job } from '../src/trainer/job';
import type { TrainerEvent } from '../src/protocol/events';
import { EXAMPLES, ROOT, TSX, workspace } from './helpers';

/** Starts the trainer as the extension will: a child process that takes a job over IPC. */
function startTrainer(job: Job, onEvent: (e: TrainerEvent, send: (m: unknown) => void) => void) {
  const child = fork(join(ROOT, 'src', 'trainer', 'main.ts'), [], { execArgv: ['--import', TSX] });
  const events: TrainerEvent[] = [];
  child.on('message', (m: ChildMessage) => {
    if (m.type !== 'event') return;
    events.push(m.event);
    onEvent(m.event, (message) => child.send(message as never));
  });
  child.send({ type: 'job', job });
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  return { events, exited };
}

test('the trainer process streams a whole run and exits 0', async () => {
  const storeRoot = join(workspace(), '.ensemble-lab');
  const job: Job = {
    kind: 'train',
    configPath: join(EXAMPLES, 'iris-voting.ensemble.json'),
    storeRoot,
    backend: 'wasm',
  };
  const { events, exited } = startTrainer(job, () => undefined);

  assert.equal(await exited, 0);
  assert.equal(events.filter((e) => e.type !== 'log').at(-1)?.type, 'run-done');
});

test('a cancel message stops the run and keeps it as cancelled', async () => {
  const storeRoot = join(workspace(), '.ensemble-lab');
  const job: Job = {
    kind: 'train',
    configPath: join(EXAMPLES, 'digits-bagging.ensemble.json'),
    storeRoot,
    backend: 'wasm',
  };
  let sent = false;
  const { events, exited } = startTrainer(job, (e, send) => {
    if (e.type === 'member-epoch' && !sent) {
      sent = true;
      send({ type: 'cancel' });
    }
  });

  await exited;
  const runId = events.find((e) => e.type === 'run-started')?.runId ?? '';
  assert.equal(new RunStore(storeRoot).open(runId).manifest.status, 'cancelled');
});
