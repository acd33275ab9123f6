import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES } from './helpers';

test('a mixed ensemble of mlp, linear, tree and forest members votes on iris', async (t) => {
  const storeRoot = mkdtempSync(join(tmpdir(), 'kinds-'));
  const job = {
    kind: 'train' as const,
    configPath: join(EXAMPLES, 'iris-mixed.ensemble.json'),
    storeRoot,
    backend: 'wasm' as const,
  };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const run = new RunStore(storeRoot).open(outcome.runId);
  const report = run.readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');

  await t.test('every kind trained', () => {
    assert.deepEqual(
      report.members.map((m) => `${m.kind}:${m.status}`),
      ['mlp:done', 'linear:done', 'tree:done', 'forest:done'],
    );
  });

  await t.test('the vote reaches 0.9 test accuracy', () => {
    assert.ok(report.ensemble.metrics.accuracy >= 0.9, `${report.ensemble.metrics.accuracy}`);
  });

  await t.test('the vote is not worse than the mean member', () => {
    assert.ok(report.ensemble.metrics.accuracy >= report.meanMember.accuracy - 1e-9);
  });
});
