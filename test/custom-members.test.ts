import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { silentLogger } from '../src/core/log';
import type { RunReport } from '../src/core/runs/report';
import { RunStore } from '../src/core/runs/store';
import { runJob } from '../src/trainer/run-job';
import { EXAMPLES, workspace, writeConfig } from './helpers';

async function train(dir: string, configPath: string): Promise<RunReport> {
  const storeRoot = join(dir, '.ensemble-lab');
  const job = { kind: 'train' as const, configPath, storeRoot, backend: 'wasm' as const };
  const outcome = await runJob(job, { emit: () => undefined, logger: silentLogger });
  const report = new RunStore(storeRoot).open(outcome.runId).readJson<RunReport>('report.json');
  assert.ok(report, 'the run wrote report.json');
  return report;
}

test('the custom and saved members of the example train and vote on iris', async (t) => {
  const report = await train(workspace(), join(EXAMPLES, 'iris-custom.ensemble.json'));
  const byName = new Map(report.members.map((m) => [m.name, m]));

  await t.test('every member trained', () => {
    assert.ok(
      report.members.every((m) => m.status === 'done'),
      report.members.map((m) => m.reason).join(),
    );
  });

  await t.test('the frozen saved member trains no epoch; the fine-tuned one does', () => {
    assert.deepEqual(
      [byName.get('saved-frozen')?.epochsRun, byName.get('saved-tuned')?.epochsRun],
      [0, 20],
    );
  });

  await t.test('the module built the network its options describe: 4-16-8-3', () => {
    assert.equal(byName.get('custom')?.parameters, 4 * 16 + 16 + 16 * 8 + 8 + 8 * 3 + 3);
  });

  await t.test('the vote reaches 0.9 test accuracy', () => {
    assert.ok(report.ensemble.metrics.accuracy >= 0.9, `${report.ensemble.metrics.accuracy}`);
  });
});

const MEMBERS = `[
    { "name": "linear", "model": "linear" },
    { "name": "throws", "model": "custom", "module": "throws.mjs" },
    { "name": "nothing", "model": "custom", "module": "nothing.mjs" },
    { "name": "wrong-shape", "model": "saved", "path": "iris-mlp/model.json" },
    { "name": "typed", "model": "custom", "module": "typed.ts", "options": { "units": 4 } }
  ]`;

test('members that cannot be built fail at their config position; the rest of the run finishes', async (t) => {
  const dir = workspace();
  writeFileSync(
    join(dir, 'throws.mjs'),
    'export default () => { throw new Error("no GPU here"); };\n',
  );
  writeFileSync(join(dir, 'nothing.mjs'), 'export default () => undefined;\n');
  writeFileSync(
    join(dir, 'typed.ts'),
    `export function build(input: { inputShape: number[]; outputUnits: number; options: { units: number }; layers: any }) {
      const { layers } = input;
      return layers.sequential({ layers: [
        layers.layers.dense({ units: input.options.units, inputShape: input.inputShape, activation: 'relu' }),
        layers.layers.dense({ units: input.outputUnits, activation: 'softmax' }),
      ] });
    }\n`,
  );
  mkdirSync(join(dir, 'iris-mlp'));
  cpSync(join(EXAMPLES, 'models', 'iris-mlp'), join(dir, 'iris-mlp'), { recursive: true });
  const text = `{
  "data": { "train": "data/wine.csv", "target": "cultivar" },
  "members": ${MEMBERS},
  "training": { "epochs": 5, "batchSize": 16, "seed": 1 }
}`;
  const configPath = writeConfig(dir, 'bad.ensemble.json', text);
  const report = await train(dir, configPath);
  const reason = (name: string): string =>
    report.members.find((m) => m.name === name)?.reason ?? '';
  const lineOf = (needle: string): number =>
    text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  await t.test('a module that throws names its "module" setting and what it threw', () => {
    assert.match(
      reason('throws'),
      new RegExp(`bad\\.ensemble\\.json:${lineOf('throws.mjs')}:\\d+: .*threw "no GPU here"`),
    );
  });

  await t.test('a module that returns no model names its "module" setting', () => {
    assert.match(
      reason('nothing'),
      new RegExp(
        `bad\\.ensemble\\.json:${lineOf('nothing.mjs')}:\\d+: .*returned nothing instead of a TF\\.js model`,
      ),
    );
  });

  await t.test('a saved model for other rows names its "path" and both shapes', () => {
    assert.match(
      reason('wrong-shape'),
      new RegExp(
        `bad\\.ensemble\\.json:${lineOf('iris-mlp')}:\\d+: .*shape \\[4\\] but the data has rows of shape \\[13\\]`,
      ),
    );
  });

  await t.test(
    'the linear member and the TypeScript module member still train and are scored',
    () => {
      const done = report.members.filter((m) => m.status === 'done').map((m) => m.name);
      assert.deepEqual(done, ['linear', 'typed']);
    },
  );
});
