import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { InstallJson, StatusJson } from '../src/cli/backend';
import type { RunJson } from '../src/cli/output';
import { packFakeTfjsNode, tempHome } from '../src/core/native-backend/fixture.test-util';
import { cli, workspace, writeConfig } from './helpers';

const IRIS = `{
  "name": "iris",
  "data": { "train": "data/iris.csv", "target": "species" },
  "members": [{ "name": "mlp", "model": "mlp", "hidden": [4] }],
  "training": { "epochs": 1 }
}
`;

/** `backend status --json` in a fresh process (the loader's choice is made once per process). */
function status(dir: string): StatusJson {
  const result = cli(['backend', 'status', '--json'], dir);
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as StatusJson;
}

function slot(s: StatusJson, name: string): StatusJson['backends'][number] {
  const found = s.backends.find((b) => b.name === name);
  assert.ok(found, `no ${name} in backend status`);
  return found;
}

// Against the real npm and the real package: tfjs-node's install script cannot download
// libtensorflow here (only the npm registry is reachable), as on any offline machine.
test('backend install fails offline with the cause and leaves tfjs-node absent', () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const dir = workspace();
  const result = cli(['backend', 'install'], dir);

  assert.equal(result.status, 1);
  const download = 'could not download libtensorflow from storage\\.googleapis\\.com';
  const log = "npm's output: .*tfjs-node-install\\.log\\)";
  assert.match(
    result.stderr,
    new RegExp(`^error: @tensorflow/tfjs-node ${download} .*${log}$`, 'm'),
  );
  const after = status(dir);
  assert.equal(slot(after, 'tfjs-node').installed, null);
  assert.equal(after.auto.name, 'wasm');
  assert.match(after.auto.reason, /^tfjs-node not installed \(not in node_modules, nor in /);
});

test('an installed package that registers no backend is found and skipped with the reason', () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const dir = workspace();
  const tarball = packFakeTfjsNode({ version: '0.0.1-fake' });
  const install = cli(['backend', 'install', '--package', tarball, '--json'], dir);

  assert.equal(install.status, 0, install.stderr);
  assert.equal((JSON.parse(install.stdout) as InstallJson).installed?.version, '0.0.1-fake');
  const after = status(dir);
  assert.equal(slot(after, 'tfjs-node').installed?.version, '0.0.1-fake');
  assert.equal(after.auto.name, 'wasm');
  const skipped = 'loaded but registered no tensorflow backend; using wasm';
  assert.match(
    after.auto.reason,
    new RegExp(`^@tensorflow/tfjs-node 0\\.0\\.1-fake in \\S+ ${skipped}`),
  );
});

test('an installed package that no longer loads is skipped with its first error line', () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const dir = workspace();
  const backend = join(process.env.ENSEMBLE_LAB_HOME, 'backends', 'tfjs-node');
  const pkg = join(backend, 'node_modules', '@tensorflow', 'tfjs-node');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(
    join(pkg, 'package.json'),
    '{ "name": "@tensorflow/tfjs-node", "version": "4.22.0" }',
  );
  writeFileSync(
    join(pkg, 'index.js'),
    "throw new Error('libtensorflow.so.2: cannot open\\nmore');",
  );
  const installed = { name: 'tfjs-node', package: '@tensorflow/tfjs-node', version: '4.22.0' };
  writeFileSync(join(backend, 'installed.json'), JSON.stringify(installed));

  const after = status(dir);
  assert.match(
    after.auto.reason,
    /4\.22\.0 in \S+ failed to load \(libtensorflow\.so\.2: cannot open\); using wasm/,
  );
});

test('train --install-backend warns once when the install fails and trains on wasm', () => {
  process.env.ENSEMBLE_LAB_HOME = tempHome();
  const dir = workspace();
  const config = writeConfig(dir, 'iris.ensemble.json', IRIS);
  const result = cli(['train', config, '--install-backend', '--json'], dir);

  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stderr.match(/could not download libtensorflow/g)?.length, 1);
  assert.match(result.stderr, /^\[warn\] .*training goes on with the wasm backend/m);
  const { run } = JSON.parse(result.stdout) as RunJson;
  assert.equal(run.backend, 'wasm');
  assert.match(run.backendReason, /tfjs-node not installed/);
});

test('--install-backend with a backend that would not use it is a usage mistake', () => {
  const dir = workspace();
  const config = writeConfig(dir, 'iris.ensemble.json', IRIS);
  const result = cli(['train', config, '--install-backend', '--backend', 'wasm'], dir);

  assert.equal(result.status, 2);
  assert.match(
    result.stderr,
    /--install-backend installs tfjs-node, which --backend wasm would not use/,
  );
});
