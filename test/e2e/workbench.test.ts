// Ensemble Lab installed from its VSIX into VS Code for the browser, driven as a person would:
// the palette, the experiment tree, the code lenses, the panels and the progress notification.
// The numbers each test expects are read from the run's own files, never written in here.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { Frame, Locator, Page } from 'playwright-core';
import type { RunManifest } from '../../src/core/runs/manifest';
import {
  openFile,
  openPalette,
  quickPickLabels,
  runCommand,
  screenshot,
  showExperiments,
  startSession,
  type Session,
  waitFor,
  webviewFrame,
} from './harness';
import { findRuns, readManifest, readReport, waitForRun, writeWorkspaceFile } from './runs';

const IRIS = 'examples/iris-voting.ensemble.json';

/** The palette titles that are always there (Stop Run shows only while a run trains). */
const COMMANDS = [
  'Train Ensemble',
  'Open Leaderboard',
  'Open Confusion Matrix',
  'New Ensemble Config',
  'Delete Run',
  'Re-run',
  'Compare Runs',
  'Reveal Run Folder',
  'Predict with Run',
  'Show Log',
];

describe('Ensemble Lab in VS Code for the browser', { timeout: 900_000 }, () => {
  let session: Session;
  let page: Page;
  let runDir: string;
  let slowRun: string;
  let rerunDir: string;

  before(async () => {
    session = await startSession();
    page = session.page;
  });

  afterEach(async (t) => {
    await screenshot(page, `end-${slug(t.name)}`);
  });

  after(async () => {
    await session?.close();
  });

  test('the command palette lists every Ensemble Lab command', async () => {
    await openPalette(page, 'Ensemble Lab:');
    await page.locator('.quick-input-widget .monaco-list-row').first().waitFor();
    await screenshot(page, 'palette');
    const labels = await quickPickLabels(page);
    const expected = COMMANDS.map((title) => `Ensemble Lab: ${title}`);
    assert.deepEqual(
      expected.filter((title) => !labels.includes(title)),
      [],
    );
    await page.keyboard.press('Escape');
  });

  test('Train Ensemble from the palette trains the open config to a completed run', async () => {
    await openFile(page, IRIS);
    await runCommand(page, 'Ensemble Lab: Train Ensemble');
    runDir = await waitForRun(session.workspace, (m) => m.status === 'completed', 240_000);

    assert.equal(findRuns(session.workspace).length, 1);
  });

  test('the tree shows the finished run with its accuracy', async () => {
    const report = readReport(runDir);
    const accuracy = `accuracy ${report.ensemble.metrics.accuracy.toFixed(3)}`;
    const tree = await showExperiments(page, 'iris-voting');
    await expand(tree.locator('.monaco-list-row', { hasText: 'iris-voting' }).first());
    const run = tree.locator('.monaco-list-row', { hasText: report.runId });
    await run.waitFor({ timeout: 15_000 });
    await expand(run);
    await tree.locator('.monaco-list-row', { hasText: 'wide' }).waitFor({ timeout: 15_000 });
    await screenshot(page, 'tree-light');

    assert.match(await run.innerText(), new RegExp(accuracy.replace('.', '\\.')));
  });

  test('the code lens shows the last run with its accuracy and member count', async () => {
    const report = readReport(runDir);
    const expected = `accuracy ${report.ensemble.metrics.accuracy.toFixed(3)} · 3 members`;
    await openFile(page, IRIS);
    const lens = page.locator('.codelens-decoration a', { hasText: expected });
    await lens.waitFor({ timeout: 30_000 });
    await screenshot(page, 'code-lens-light');

    assert.ok((await lens.innerText()).startsWith(expected));
  });

  test('the leaderboard lists every member with the accuracy of the report', async () => {
    const report = readReport(runDir);
    await page.locator('.codelens-decoration a', { hasText: 'members ·' }).first().click();
    const frame = await webviewFrame(page, 'table.leaderboard');
    const shown = await leaderboardAccuracies(frame);
    await screenshot(page, 'leaderboard-light');

    const expected = Object.fromEntries([
      ['ensemble', report.ensemble.metrics.accuracy.toFixed(4)],
      ...report.members.map((m) => [m.name, m.metrics.accuracy.toFixed(4)]),
    ]);
    assert.deepEqual(withoutMean(shown), expected);
  });

  test("the confusion matrix's cells add up to the test set's size", async () => {
    const report = readReport(runDir);
    const leaderboard = await webviewFrame(page, 'table.leaderboard');
    await leaderboard.locator('button.link', { hasText: 'ensemble' }).first().click();
    const frame = await webviewFrame(page, '.heatmap .cell');
    const cells = await frame.locator('.heatmap .cell').allInnerTexts();
    await screenshot(page, 'confusion-light');

    assert.equal(
      cells.reduce((sum, text) => sum + Number(text), 0),
      report.split.test,
    );
  });

  test('the panels and the tree read in the dark theme too', async () => {
    await session.setTheme('dark');
    await webviewFrame(page, '.heatmap .cell');
    await screenshot(page, 'confusion-dark');
    await runCommand(page, 'View: Open Previous Editor');
    await webviewFrame(page, 'table.leaderboard');
    await screenshot(page, 'leaderboard-dark');
    await showExperiments(page, 'iris-voting');
    await openFile(page, IRIS);
    await page.locator('.codelens-decoration a', { hasText: 'members ·' }).first().waitFor();
    await screenshot(page, 'tree-and-lens-dark');

    const dark = await page.locator('.monaco-workbench.vs-dark').count();
    assert.equal(dark, 1);
    await session.setTheme('light');
  });

  test('a broken config shows its problem in the Problems panel as it is written', async () => {
    const broken =
      '{ "data": { "train": "data/iris.csv", "target": "species" },\n' +
      '  "members": [{ "model": "mlp", "dropot": 0.2 }] }\n';
    writeWorkspaceFile(session.workspace, 'examples/broken.ensemble.json', broken);
    await openFile(page, 'examples/broken.ensemble.json');
    await page.keyboard.press('Control+Shift+M');
    const problem = page
      .locator('.markers-panel .monaco-list-row', { hasText: 'Ensemble Lab' })
      .filter({ hasText: 'dropot' });
    await problem.waitFor({ timeout: 30_000 });
    await screenshot(page, 'diagnostic');

    assert.match(await problem.innerText(), /did you mean "dropout"\?/);
  });

  test('the editor takes typing while a run trains', async () => {
    writeWorkspaceFile(session.workspace, 'examples/slow.ensemble.json', SLOW_CONFIG);
    await openFile(page, 'examples/slow.ensemble.json');
    await page.locator('.codelens-decoration a', { hasText: 'Train ensemble' }).first().click();
    slowRun = await waitForRun(session.workspace, (m) => isTraining(m, 'slow'), 120_000);
    await openFile(page, 'examples/data/README.md');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('typed while training ', { delay: 20 });
    const typed = page.locator('.monaco-editor .view-line', { hasText: 'typed while training' });
    await typed.waitFor({ timeout: 10_000 });
    await screenshot(page, 'typing-while-training');

    assert.equal(readManifest(slowRun).status, 'running');
  });

  test('Cancel in the progress notification keeps the run as cancelled', async () => {
    // The toast folds into the status bar after a while; the notification center has it.
    await runCommand(page, 'Notifications: Show Notifications');
    const cancel = page
      .locator('.notification-list-item .monaco-button', { hasText: 'Cancel' })
      .filter({ visible: true });
    await cancel.first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'training-progress');
    await cancel.first().click();
    const ended = (): boolean => readManifest(slowRun).status !== 'running';
    await waitFor('the cancelled run to end', ended, 30_000);

    assert.equal(readManifest(slowRun).status, 'cancelled');
  });

  test('Re-run trains the same config again to the same accuracy', async () => {
    await runCommand(page, 'Ensemble Lab: Re-run');
    await pickRow(page, readManifest(runDir).id);
    rerunDir = await waitForRun(
      session.workspace,
      (m) =>
        m.configName === 'iris-voting' &&
        m.id !== readManifest(runDir).id &&
        m.status !== 'running',
      240_000,
    );

    assert.equal(
      readReport(rerunDir).ensemble.metrics.accuracy,
      readReport(runDir).ensemble.metrics.accuracy,
    );
  });

  test('Compare Runs shows both runs side by side with their difference', async () => {
    await runCommand(page, 'Ensemble Lab: Compare Runs');
    await pickRow(page, readManifest(runDir).id);
    await pickRow(page, readManifest(rerunDir).id);
    const frame = await webviewFrame(page, 'section.compare');
    const accuracy = frame.locator('section.compare tr', { hasText: /^accuracy/ }).first();
    const cells = await accuracy.locator('th, td').allInnerTexts();
    await screenshot(page, 'compare-light');

    assert.equal(cells[3], '0.0000');
  });
});

describe('Ensemble Lab in Restricted Mode', { timeout: 300_000 }, () => {
  let session: Session;

  before(async () => {
    session = await startSession({ trust: true });
  });

  after(async () => {
    await session?.close();
  });

  test('Train Ensemble says why it cannot train, and trains nothing', async () => {
    const page = session.page;
    const restricted = page.locator('.monaco-dialog-box', { hasText: 'trust' });
    if (await restricted.isVisible().catch(() => false)) {
      await restricted.locator('.monaco-button', { hasText: /don.t trust/i }).click();
    }
    await openFile(page, IRIS);
    await runCommand(page, 'Ensemble Lab: Train Ensemble');
    const warning = page.locator('.notification-toast', { hasText: 'Restricted Mode' });
    await warning.waitFor({ timeout: 30_000 });
    await screenshot(page, 'restricted-mode');

    assert.equal(findRuns(session.workspace).length, 0);
  });
});

/** A digits ensemble long enough to cancel while it trains. */
const SLOW_CONFIG = `{
  "name": "slow",
  "data": { "train": "data/digits.csv", "target": "digit" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [256, 128], "count": 3 }],
  "training": { "epochs": 400, "batchSize": 32, "seed": 1 },
  "ensemble": { "method": "voting", "combine": "soft-vote" }
}
`;

/** A run of the named config that has started training a member. */
function isTraining(manifest: RunManifest, configName: string): boolean {
  const training = manifest.members.some((m) => m.status === 'running');
  return manifest.configName === configName && manifest.status === 'running' && training;
}

/** Picks the quick pick's row that shows `text`. */
async function pickRow(page: Page, text: string): Promise<void> {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Expands a tree row unless it is open already. */
async function expand(row: Locator): Promise<void> {
  if ((await row.getAttribute('aria-expanded')) !== 'true') {
    await row.locator('.monaco-tl-twistie').click();
  }
}

/** A test's name as a file name. */
function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Each leaderboard row's name and the text of its accuracy cell. */
async function leaderboardAccuracies(frame: Frame): Promise<Record<string, string>> {
  const headers = await frame.locator('table.leaderboard thead th').allInnerTexts();
  const column = headers.findIndex((h) => h.replace(/[▲▼]/g, '').trim() === 'accuracy');
  assert.ok(column > 0, `no accuracy column in ${headers}`);
  const rows = await frame.locator('table.leaderboard tbody tr').all();
  const entries = await Promise.all(
    rows.map(async (row) => {
      const cells = await row.locator('th, td').allInnerTexts();
      return [cells[0].trim(), cells[column].trim()] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function withoutMean(rows: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(rows).filter(([name]) => !name.startsWith('mean')));
}
