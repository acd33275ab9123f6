import assert from 'node:assert/strict';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogLevel } from '../log';
import { packFakeTfjsNode, tempHome } from './fixture.test-util';
import { backendDir, backendsDir, INSTALLED_FILE } from './home';
import { readInstalled } from './installed';
import { BackendInstallError, installNativeBackend } from './install';

// An install script that records its pid and never ends.
const HANG =
  "node -e \"require('fs').writeFileSync(process.env.FAKE_PID_FILE, String(process.pid)); " +
  'setInterval(() => {}, 1000)"';

const quiet = { log: (_level: LogLevel, _message: string) => undefined };

/** Installs a fake tfjs-node into a fresh home and returns what installed.json says. */
async function installFake(version: string): Promise<string> {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  await installNativeBackend({ spec: packFakeTfjsNode({ version }), logger: quiet });
  return readFileSync(join(backendDir('tfjs-node'), INSTALLED_FILE), 'utf8');
}

/** The entries of the backends folder that are neither a backend nor an install log. */
function leftovers(): string[] {
  return readdirSync(backendsDir()).filter((e) => e.startsWith('.'));
}

/** Whether a process runs (Linux): a zombie that nobody reaped has stopped running. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function installFails(spec?: string, timeoutMs?: number): Promise<BackendInstallError> {
  const error = await installNativeBackend({ spec, timeoutMs, logger: quiet }).then(
    () => assert.fail('the install succeeded'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof BackendInstallError, String(error));
  return error;
}

test('a local package lands in the backend folder with its version recorded', async () => {
  const lines: string[] = [];
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const spec = packFakeTfjsNode({ version: '0.0.1-fake' });
  const logger = { log: (_l: LogLevel, m: string) => lines.push(m) };
  const result = await installNativeBackend({ spec, logger });

  assert.equal(result.dir, backendDir('tfjs-node'));
  assert.equal(readInstalled('tfjs-node')?.version, '0.0.1-fake');
  assert.equal(readInstalled('tfjs-node')?.backend, null, 'the fake registers no backend');
  assert.ok(existsSync(join(result.dir, 'node_modules', '@tensorflow', 'tfjs-node', 'index.js')));
  assert.deepEqual(leftovers(), []);
  assert.match(lines.join('\n'), /npm: added 1 package/, "npm's output reaches the logger");
});

// The real package, against this machine's npm: its install script downloads libtensorflow
// from Google's storage, which only the npm registry's side of the network can't reach here.
test('the real tfjs-node failing to download keeps the backend installed before', async () => {
  const before = await installFake('0.0.1-fake');
  const error = await installFails();

  assert.match(error.message, /could not download libtensorflow from storage\.googleapis\.com/);
  assert.match(error.message, /training goes on with the wasm backend/);
  assert.ok(error.message.includes(error.logFile), 'the message names the log file');
  assert.match(readFileSync(error.logFile, 'utf8'), /libtensorflow/);
  assert.equal(readFileSync(join(backendDir('tfjs-node'), INSTALLED_FILE), 'utf8'), before);
  assert.ok(existsSync(join(backendDir('tfjs-node'), 'node_modules', '@tensorflow', 'tfjs-node')));
  assert.deepEqual(leftovers(), []);
});

test('a package whose install script fails leaves no folder behind', async () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const spec = packFakeTfjsNode({ version: '0.0.2-fake', installScript: 'exit 3' });
  const error = await installFails(spec);

  assert.match(error.message, /^npm install .* failed with exit code 3;/);
  assert.equal(existsSync(backendDir('tfjs-node')), false);
  assert.deepEqual(leftovers(), []);
});

test('a package that installs but throws when loaded is not put in place', async () => {
  const before = await installFake('0.0.1-fake');
  const spec = packFakeTfjsNode({ version: '0.0.3-fake', throwsOnLoad: 'no libtensorflow.so' });
  const error = await installFails(spec);

  assert.match(
    error.message,
    /@tensorflow\/tfjs-node installed but does not load \(no libtensorflow\.so\)/,
  );
  assert.equal(readFileSync(join(backendDir('tfjs-node'), INSTALLED_FILE), 'utf8'), before);
  assert.deepEqual(leftovers(), []);
});

test('an install that runs past its timeout is stopped with the scripts it started', async () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const pidFile = join(backendsDir(), '..', 'script.pid');
  process.env.FAKE_PID_FILE = pidFile;
  const error = await installFails(
    packFakeTfjsNode({ version: '0.0.4-fake', installScript: HANG }),
    4000,
  );

  assert.match(error.message, /did not finish in 4 s and was stopped/);
  const scriptPid = Number(readFileSync(pidFile, 'utf8'));
  await new Promise((resolve) => setTimeout(resolve, 500));
  assert.equal(isRunning(scriptPid), false, 'the install script was stopped');
  assert.deepEqual(leftovers(), []);
});

test('a backend set aside by an installer killed while checking the new one is put back', async () => {
  const before = await installFake('0.0.1-fake');
  // 4194305 is above Linux's largest pid: no process of that id is running.
  const aside = join(backendsDir(), '.old-4194305-tfjs-node');
  renameSync(backendDir('tfjs-node'), aside);
  mkdirSync(backendDir('tfjs-node'));
  writeFileSync(join(backendDir('tfjs-node'), 'package.json'), '{}');
  mkdirSync(join(backendsDir(), '.staging-4194305-abc'));
  writeFileSync(join(backendsDir(), '.staging-4194305-abc', 'half'), '');
  await installFails(packFakeTfjsNode({ version: '0.0.5-fake', installScript: 'exit 1' }));

  assert.equal(readFileSync(join(backendDir('tfjs-node'), INSTALLED_FILE), 'utf8'), before);
  assert.deepEqual(leftovers(), []);
});

test('a cancelled install stops npm and keeps the backend installed before', async () => {
  const before = await installFake('0.0.1-fake');
  const pidFile = join(backendsDir(), '..', 'script.pid');
  process.env.FAKE_PID_FILE = pidFile;
  const spec = packFakeTfjsNode({ version: '0.0.6-fake', installScript: HANG });
  const controller = new AbortController();
  const waitForScript = setInterval(() => existsSync(pidFile) && controller.abort(), 100);
  const error = await installNativeBackend({ spec, logger: quiet, signal: controller.signal })
    .then(
      () => assert.fail('the install succeeded'),
      (e: unknown) => e,
    )
    .finally(() => clearInterval(waitForScript));

  assert.ok(error instanceof BackendInstallError && error.cancelled, String(error));
  assert.match(error.message, /^the install of @tensorflow\/tfjs-node was cancelled;/);
  assert.equal(readFileSync(join(backendDir('tfjs-node'), INSTALLED_FILE), 'utf8'), before);
  assert.deepEqual(leftovers(), []);
});
