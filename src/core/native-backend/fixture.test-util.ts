import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a stand-in for @tensorflow/tfjs-node behaves. */
export interface FakeTfjsNode {
  version: string;
  /** The package's `install` script, run by npm (e.g. one that exits 1). */
  installScript?: string;
  /** index.js throws this message when it is loaded. */
  throwsOnLoad?: string;
}

/**
 * Packs a small package named `@tensorflow/tfjs-node` with `npm pack` and returns the path of
 * its tarball: it exports its version and registers no TF.js backend, so installing it needs
 * no network and loading it cannot start a native library.
 */
export function packFakeTfjsNode(fake: FakeTfjsNode): string {
  const root = mkdtempSync(join(tmpdir(), 'fake-tfjs-node-'));
  const dir = join(root, 'package');
  mkdirSync(dir);
  const scripts = fake.installScript ? { install: fake.installScript } : {};
  const manifest = {
    name: '@tensorflow/tfjs-node',
    version: fake.version,
    main: 'index.js',
    scripts,
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));

  const body = fake.throwsOnLoad
    ? `throw new Error(${JSON.stringify(fake.throwsOnLoad)});\n`
    : `exports.version = { 'tfjs-node': ${JSON.stringify(fake.version)} };\n`;
  writeFileSync(join(dir, 'index.js'), body);
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', root], {
    cwd: dir,
    encoding: 'utf8',
  }).trim();
  return join(root, name.split('\n').pop() ?? name);
}

/** A fresh ENSEMBLE_LAB_HOME for one test. */
export function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'ensemble-lab-home-'));
}
