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

test('the spam-text example beats the majority class (0.5) by a wide margin', async () => {
  const storeRoot = mkdtempSync(join(tmpdir(), 'text-'));
  const configPath = join(EXAMPLES, 'spam-text.ensemble.json');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  const accuracy = report?.ensemble.metrics.accuracy ?? NaN;
  assert.ok(accuracy > 0.9, `accuracy ${accuracy}`);
});
