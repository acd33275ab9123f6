// A sweep in VS Code for the browser: the "Run sweep" code lens, the sweep and its trials in the
// experiment tree, the sweep panel with its plots, and "Apply best to config" as an undoable
// edit. The values each test expects are read from sweep.json, never written in here.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import type { SweepManifest } from '../../src/core/sweep/manifest';
import {
  openFile,
  runCommand,
  screenshot,
  showExperiments,
  startSession,
  type Session,
  waitFor,
  webviewFrame,
} from './harness';
import { writeWorkspaceFile } from './runs';

const CONFIG = 'examples/iris-sweep.ensemble.json';
const TEXT = `// A small sweep: six trials of one small MLP on iris.
{
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "model": "mlp", "hidden": [8] }],
  "training": { "epochs": 8, "batchSize": 16, "learningRate": 0.01, "seed": 3 },
  "sweep": {
    "parameters": {
      "training.learningRate": { "type": "log-uniform", "low": 0.0003, "high": 0.1 },
      "members[0].hidden[0]": { "type": "int", "low": 2, "high": 32, "log": true }
    },
    "sampler": { "type": "tpe", "startupTrials": 3, "seed": 2 },
    "pruner": { "type": "median", "startupTrials": 2, "warmupEpochs": 2 },
    "trials": 6
  }
}
`;

/** The sweep of the workspace, once its sweep.json reads whole. */
function readSweep(workspace: string): SweepManifest | undefined {
  const sweeps = join(workspace, '.ensemble-lab', 'sweeps');
  const [id] = existsSync(sweeps) ? readdirSync(sweeps) : [];
  const path = id ? join(sweeps, id, 'sweep.json') : '';
  if (!id || !existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as SweepManifest;
}

describe('a sweep in VS Code for the browser', { timeout: 600_000 }, () => {
  let session: Session;
  let page: Page;
  let sweep: SweepManifest;

  before(async () => {
    session = await startSession();
    page = session.page;
    writeWorkspaceFile(session.workspace, CONFIG, TEXT);
  });

  afterEach(async (t) => {
    await screenshot(page, `sweep-end-${t.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`);
  });

  after(async () => {
    await session?.close();
  });

  test('the "Run sweep" code lens runs the sweep to its end', async () => {
    await openFile(page, CONFIG);
    await page.locator('.codelens-decoration a', { hasText: 'Run sweep' }).first().click();
    await waitFor(
      'the sweep to complete',
      () => readSweep(session.workspace)?.status === 'completed',
      240_000,
    );
    sweep = readSweep(session.workspace) as SweepManifest;

    assert.equal(sweep.trials.length, 6);
  });

  test('the tree shows the sweep under its config with a row per trial', async () => {
    const tree = await showExperiments(page, 'iris-sweep');
    await expand(tree.locator('.monaco-list-row', { hasText: 'iris-sweep' }).first());
    await expand(tree.locator('.monaco-list-row', { hasText: `sweep ${sweep.id}` }).first());
    const rows = tree.locator('.monaco-list-row', { hasText: /trial \d+/ });
    await waitFor(
      'the trial rows',
      async () => (await rows.count()) === sweep.trials.length,
      15_000,
    );
    await screenshot(page, 'sweep-tree');

    assert.equal(await rows.count(), sweep.trials.length);
  });

  test('the sweep panel shows the best trial and a chart per plot and parameter', async () => {
    await runCommand(page, 'Ensemble Lab: Open Sweep');
    await pickRow(page, sweep.id);
    const frame = await webviewFrame(page, 'text=Apply best to config');
    const best = sweep.trials.find((t) => t.number === sweep.best);
    await frame.locator(`text=Trial ${best?.number}:`).waitFor({ timeout: 15_000 });
    await screenshot(page, 'sweep-panel');

    // History, parallel coordinates and importance, and one slice per parameter.
    assert.equal(await frame.locator('canvas').count(), 3 + sweep.sweep.parameters.length);
  });

  test('Apply best to config writes the best values and keeps the comments', async () => {
    const frame = await webviewFrame(page, 'text=Apply best to config');
    const best = sweep.trials.find((t) => t.number === sweep.best);
    const written = `"learningRate": ${best?.params['training.learningRate']}`;
    await frame.locator('vscode-button', { hasText: 'Apply best to config' }).click();
    await page.locator('.monaco-editor .view-lines', { hasText: written }).waitFor();
    await openFile(page, CONFIG);
    await page.keyboard.press('Control+S');
    const path = join(session.workspace, CONFIG);
    await waitFor('the saved config', () => readFileSync(path, 'utf8') !== TEXT, 15_000);
    const saved = readFileSync(path, 'utf8');
    await screenshot(page, 'sweep-applied');

    assert.deepEqual([saved.includes(written), saved.split('\n')[0]], [true, TEXT.split('\n')[0]]);
  });

  test('the edit is one undoable step', async () => {
    await openFile(page, CONFIG);
    await page.keyboard.press('Control+Z');
    await page.keyboard.press('Control+S');
    const path = join(session.workspace, CONFIG);
    await waitFor('the config as it was', () => readFileSync(path, 'utf8') === TEXT, 15_000);

    assert.equal(readFileSync(path, 'utf8'), TEXT);
  });
});

/** Expands a tree row unless it is open already. */
async function expand(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
}

/** Picks the quick pick's row that shows `text`. */
async function pickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}
