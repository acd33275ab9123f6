// The end-to-end harness: a packaged Ensemble Lab installed into an isolated code-server (VS Code
// for the browser), a temporary workspace with the iris example, and Debian's Chromium driven by
// playwright-core. scripts/e2e/run.sh installs the tools and makes the VSIX before the tests run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium, type Browser, type Frame, type Locator, type Page } from 'playwright-core';

/** The project root (two levels above this file). */
export const root = resolve(__dirname, '../..');

const tools = join(root, '.e2e-tools', 'node_modules');
const node24 = join(tools, 'node', 'bin', 'node');
const codeServerEntry = join(tools, 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = '/usr/bin/chromium';
const screenshots = join(root, 'test-results');

/** Flags that keep Chromium off the network and working without a GPU or sandbox. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Options of one code-server session. */
export interface SessionOptions {
  /** Leave workspace trust on, so the folder opens in Restricted Mode. */
  trust?: boolean;
  /** The theme the workbench starts in (light unless said). */
  theme?: keyof typeof THEMES;
}

/** A running code-server with a browser page on its workbench; `close()` ends both. */
export interface Session {
  /** The temporary workspace folder the workbench shows. */
  workspace: string;
  page: Page;
  /** Switches the color theme through the user settings and waits until the workbench shows it. */
  setTheme(theme: keyof typeof THEMES): Promise<void>;
  close(): Promise<void>;
}

/** The VSIX that `npm run package` made; the runner builds it before the tests start. */
export function vsixPath(): string {
  const text = readFileSync(join(root, 'package.json'), 'utf8');
  const pkg = JSON.parse(text) as { name: string; version: string };
  const file = join(root, `${pkg.name}-${pkg.version}.vsix`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run the tests with npm run test:e2e`);
  return file;
}

/** Checks that the tools exist, with one sentence saying what to install when they do not. */
export function checkTools(): void {
  if (!existsSync(chromiumPath)) {
    throw new Error("Chromium is missing: install Debian's chromium: apt-get install chromium");
  }
  if (!existsSync(node24) || !existsSync(codeServerEntry)) {
    throw new Error('code-server is missing: run bash scripts/e2e/setup.sh');
  }
}

/**
 * Copies the examples (configs and data) and the schema into a fresh folder, keeping the
 * configs' relative paths to their data and to `../schema/ensemble.schema.json`.
 */
function makeWorkspace(base: string): string {
  const workspace = join(base, 'workspace');
  mkdirSync(workspace, { recursive: true });
  cpSync(join(root, 'examples'), join(workspace, 'examples'), { recursive: true });
  cpSync(join(root, 'schema'), join(workspace, 'schema'), { recursive: true });
  return workspace;
}

/** The color theme of each look the screenshots are taken in, as the theme picker lists it. */
export const THEMES = { light: 'Light Modern', dark: 'Dark Modern' } as const;

/** Picks a color theme through "Preferences: Color Theme" and waits until the workbench has it. */
async function pickTheme(page: Page, theme: keyof typeof THEMES): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme');
  const input = quickInput(page);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(THEMES[theme]);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: THEMES[theme] });
  await row.first().waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  const themeClass = theme === 'dark' ? 'vs-dark' : 'vs';
  await page.locator(`.monaco-workbench.${themeClass}`).waitFor({ timeout: 30_000 });
}

/** Writes the user settings of the isolated profile. */
function writeSettings(options: SessionOptions & { userDataDir: string }): void {
  const { userDataDir, trust = false, theme = 'light' } = options;
  const settings = {
    'security.workspace.trust.enabled': trust,
    'workbench.colorTheme': `Default ${THEMES[theme]}`,
    'workbench.startupEditor': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
  };
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

/** The environment code-server runs in: Node 24 first on PATH, config and data kept in `base`. */
function serverEnv(base: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${dirname(node24)}:${process.env.PATH ?? ''}`,
    XDG_CONFIG_HOME: join(base, 'config'),
    XDG_DATA_HOME: join(base, 'data'),
  };
}

/** Installs the VSIX into the session's own extensions folder. */
function installExtension(base: string, dirs: string[]): void {
  const result = spawnSync(node24, [codeServerEntry, ...dirs, '--install-extension', vsixPath()], {
    env: serverEnv(base),
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) {
    throw new Error(`installing the VSIX failed: ${result.stderr || result.stdout}`);
  }
}

/** A free TCP port on the loopback interface. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/** Resolves once `check` is true, polling; rejects with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/** Starts code-server and waits until it answers its health check. */
async function startServer(
  base: string,
  dirs: string[],
  workspace: string,
): Promise<{
  server: ChildProcess;
  url: string;
}> {
  const port = await freePort();
  const args = [codeServerEntry, ...dirs, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`];
  args.push('--disable-telemetry', '--disable-update-check', workspace);
  // Its own process group, so that stopping it also stops the extension host and the trainer.
  const server = spawn(node24, args, {
    detached: true,
    env: serverEnv(base),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  server.stdout?.on('data', (d: Buffer) => output.push(String(d)));
  server.stderr?.on('data', (d: Buffer) => output.push(String(d)));
  const url = `http://127.0.0.1:${port}`;

  await waitFor(
    `code-server on ${url} (output: ${output.join('').slice(-400)})`,
    async () => {
      if (server.exitCode !== null) throw new Error(`code-server exited: ${output.join('')}`);
      return fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    60_000,
  );
  return { server, url };
}

/** Signals a whole process group, ignoring a group that is already gone. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has exited already.
  }
}

/**
 * Stops code-server with everything it started (extension host, trainer): SIGTERM to its group,
 * then SIGKILL to the group after a few seconds, because the extension host outlives a SIGTERM.
 */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  const exited = child.exitCode !== null || child.signalCode !== null;
  const exit = exited ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r()));
  signalGroup(child.pid, 'SIGTERM');
  await Promise.race([exit, new Promise((r) => setTimeout(r, 3_000))]);
  signalGroup(child.pid, 'SIGKILL');
  await exit;
}

/** Opens the workbench in Chromium and waits until it is drawn. */
async function openWorkbench(browser: Browser, url: string, workspace: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // The activity bar shows Ensemble Lab once the extension host has read its contributions.
  const item = page.locator('.activitybar .action-item a[aria-label^="Ensemble Lab"]');
  await item.waitFor({ timeout: 60_000 });
  return page;
}

/**
 * Starts a session: a fresh profile and workspace, the VSIX installed, code-server on a free
 * port and Chromium on its workbench. On any failure everything started so far is stopped.
 */
export async function startSession(options: SessionOptions = {}): Promise<Session> {
  checkTools();
  const base = mkdtempSync(join(tmpdir(), 'ensemble-lab-e2e-'));
  const userDataDir = join(base, 'user-data');
  const dirs = ['--user-data-dir', userDataDir, '--extensions-dir', join(base, 'extensions')];
  const workspace = makeWorkspace(base);
  writeSettings({ ...options, userDataDir });
  installExtension(base, dirs);

  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    if (server) await stopServer(server);
    rmSync(base, { recursive: true, force: true, maxRetries: 3 });
  };
  try {
    const started = await startServer(base, dirs, workspace);
    server = started.server;
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const page = await openWorkbench(browser, started.url, workspace);
    const setTheme = (theme: keyof typeof THEMES): Promise<void> => pickTheme(page, theme);
    return { workspace, page, setTheme, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Saves a screenshot of the whole page as test-results/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: join(screenshots, `${name}.png`) });
}

/** The quick input's text box while it is open (the workbench keeps hidden ones around). */
function quickInput(page: Page): Locator {
  return page.locator('.quick-input-widget input.input').filter({ visible: true });
}

/** Opens the command palette and types `text` after the `>` prompt. */
export async function openPalette(page: Page, text: string): Promise<void> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+Shift+P');
  const input = quickInput(page);
  await input.waitFor({ timeout: 15_000 });
  await input.fill(`>${text}`);
}

/** The labels of the rows the quick pick shows right now. */
export async function quickPickLabels(page: Page): Promise<string[]> {
  const rows = page.locator('.quick-input-widget .monaco-list-row .label-name');
  return (await rows.allInnerTexts()).map((t) => t.trim());
}

/** Runs a command by its palette title, e.g. "Ensemble Lab: Train Ensemble". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page, title);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout: 15_000 });
  await row.click();
}

/** Opens a workspace file in an editor (its tab if open, else Quick Open) and waits for it. */
export async function openFile(page: Page, relativePath: string): Promise<void> {
  const name = relativePath.split('/').pop() ?? relativePath;
  const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
  await page.keyboard.press('Escape');
  if (await tab.isVisible()) {
    await tab.click();
  } else {
    await page.keyboard.press('Control+P');
    const input = quickInput(page);
    await input.waitFor({ timeout: 15_000 });
    await input.fill(relativePath);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: name }).first();
    await row.waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter');
  }
  await page
    .locator('.tabs-container .tab.active', { hasText: name })
    .first()
    .waitFor({ timeout: 15_000 });
}

/**
 * The webview frame whose document has an element matching `selector`. Webviews live in nested
 * iframes, so every frame of the page is searched until one matches or `timeoutMs` passes.
 */
export async function webviewFrame(
  page: Page,
  selector: string,
  timeoutMs = 30_000,
): Promise<Frame> {
  let found: Frame | undefined;
  await waitFor(
    `a webview frame with ${selector}`,
    async () => {
      for (const frame of page.frames()) {
        const count = await frame
          .locator(selector)
          .count()
          .catch(() => 0);
        if (count > 0) found = frame;
      }
      return found !== undefined;
    },
    timeoutMs,
  );
  return found as Frame;
}

/**
 * Opens the Ensemble Lab container from the activity bar and returns its tree, once the tree
 * lists `configName`.
 */
export async function showExperiments(page: Page, configName: string): Promise<Locator> {
  const sidebar = page.locator('.part.sidebar');
  const title = sidebar.locator('.composite.title', { hasText: 'Ensemble Lab' });
  if (!(await title.isVisible())) {
    await page.locator('.activitybar .action-item a[aria-label^="Ensemble Lab"]').click();
  }
  const tree = sidebar.locator('.monaco-list', { hasText: configName }).first();
  await tree.waitFor({ timeout: 15_000 });
  return tree;
}
