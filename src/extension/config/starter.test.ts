import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseConfigText } from '../../core/config';
import { projectRoot } from '../runs/fixture.test-util';
import { TrainingManager } from '../training/manager';
import { readColumnNames, starterConfigText, starterPath } from './starter';
import { EXAMPLE_DATA } from '../../core/example-data.test-util';

/** Writes the starter beside a copy of a shared data set and trains it in a trainer process. */
async function trainStarter(dataSet: string): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'el-starter-'));
  const data = join(dir, dataSet);
  copyFileSync(join(EXAMPLE_DATA, dataSet), data);
  const configPath = starterPath(data);
  writeFileSync(configPath, starterConfigText(data, await readColumnNames(data)));

  const manager = new TrainingManager({ trainerPath: join(projectRoot, 'dist/trainer.js') });
  const job = manager.train({ configPath, storeRoot: join(dir, '.ensemble-lab'), backend: 'cpu' });
  return new Promise((done) => manager.listen({ onFinished: () => done(job.outcome) }));
}

test('the header row gives the column names, the target last', async () => {
  const columns = await readColumnNames(join(EXAMPLE_DATA, 'iris.csv'));
  assert.equal(columns.at(-1), 'species');
});

test('the starter is written beside its data as <name>.ensemble.json', () => {
  assert.equal(starterPath('/data/iris.csv'), '/data/iris.ensemble.json');
});

test('the starter validates with no problems and targets the last column', async () => {
  const data = join(EXAMPLE_DATA, 'iris.csv');
  const path = starterPath(data);
  const text = starterConfigText(data, await readColumnNames(data));
  const { config, problems } = parseConfigText(text, path);

  assert.deepEqual(problems, []);
  assert.equal(config?.data.target, 'species');
});

for (const dataSet of ['iris.csv', 'diabetes.csv']) {
  test(`the starter trains as written on ${dataSet}`, async () => {
    assert.equal(await trainStarter(dataSet), 'completed');
  });
}
