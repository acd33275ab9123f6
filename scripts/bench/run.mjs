// npm run bench: the same bagging workloads in this engine and in PyTorch, in one run, with
// member-samples per second, their ratios and both test accuracies. Installs Debian's
// python3-torch (with OpenBLAS) and dataset-fashion-mnist when missing (as root; otherwise
// it says what to run).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const fashion = '/usr/share/datasets/fashion-mnist';
const python = '/usr/bin/python3';

function ensurePackages() {
  const missing = [];
  if (!existsSync(`${fashion}/train-images-idx3-ubyte.gz`)) missing.push('dataset-fashion-mnist');
  const torch = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
  if (torch.status !== 0) missing.push('python3-torch');
  // Without it Debian's torch multiplies through the reference BLAS, 30 times slower: no fair
  // comparison (4.8 against 166 GFLOP/s for a 1024x1024 product, measured here).
  const openblas = spawnSync('dpkg', ['-s', 'libopenblas0-pthread'], { stdio: 'ignore' });
  if (openblas.status !== 0) missing.push('libopenblas0-pthread');
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    console.error(`bench: missing Debian packages: run sudo apt-get install ${missing.join(' ')}`);
    process.exit(1);
  }
  console.error(`bench: installing ${missing.join(' ')}`);
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', ...missing], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function bagging(name, data, hidden, training, members) {
  return {
    name,
    data,
    members: [{ name: 'mlp', model: 'mlp', hidden, count: members }],
    training: { optimizer: 'adam', learningRate: 0.001, seed: 1, ...training },
    ensemble: { method: 'bagging', combine: 'soft-vote' },
    evaluation: { metrics: ['accuracy'] },
  };
}

/** The workloads of issue "fast training on the CPU", each for both sides. */
function workloads() {
  const idx = (split) => ({
    images: `${fashion}/${split}-images-idx3-ubyte.gz`,
    labels: `${fashion}/${split}-labels-idx1-ubyte.gz`,
  });
  const digits = join(root, 'examples/data/digits.csv');
  return [
    {
      name: 'fashion-mnist',
      config: bagging(
        'fashion-mnist',
        { train: idx('train'), test: idx('t10k'), validation: { fraction: 0 } },
        [256, 128],
        { epochs: 3, batchSize: 128 },
        5,
      ),
      members: 5,
      epochs: 3,
      trainRows: 60000,
      hidden: [256, 128],
      batchSize: 128,
      learningRate: 0.001,
      torch: {
        kind: 'idx',
        trainImages: idx('train').images,
        trainLabels: idx('train').labels,
        testImages: idx('t10k').images,
        testLabels: idx('t10k').labels,
      },
    },
    {
      name: 'digits',
      config: bagging(
        'digits',
        { train: digits, target: 'digit', validation: { fraction: 0 } },
        [128, 64],
        { epochs: 20, batchSize: 64 },
        5,
      ),
      members: 5,
      epochs: 20,
      trainRows: 1437,
      hidden: [128, 64],
      batchSize: 64,
      learningRate: 0.001,
      torch: { kind: 'csv', file: digits, target: 'digit' },
    },
  ];
}

function jsonLines(text) {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line));
}

function runEngine(file) {
  const args = ['--import', 'tsx', join(root, 'scripts/bench/engine.ts'), file];
  const out = execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  return jsonLines(out);
}

function runTorch(file) {
  const script = join(root, 'scripts/bench/torch_bagging.py');
  return jsonLines(execFileSync(python, [script, file], { encoding: 'utf8' }));
}

function fixed(value, digits) {
  return value === undefined ? '-' : value.toFixed(digits);
}

function printTable(name, results) {
  const engine = results.find((r) => r.side === 'ensemble-lab');
  console.log(`\n${name}`);
  console.log('side                          samples/s  ratio  accuracy  fit s  cpu  peak MB');
  for (const r of results) {
    const ratio = engine.memberSamplesPerSecond / r.memberSamplesPerSecond;
    const cells = [
      r.side.padEnd(28),
      fixed(r.memberSamplesPerSecond, 0).padStart(10),
      (r === engine ? '' : fixed(ratio, 2)).padStart(6),
      fixed(r.testAccuracy, 4).padStart(9),
      fixed(r.fitSeconds, 1).padStart(6),
      fixed(r.fitCpuUtilisation, 2).padStart(4),
      fixed(r.peakRssMb, 0).padStart(8),
    ];
    console.log(cells.join(' '));
  }
  console.log('ratio: ensemble-lab samples/s over that side (>= 1.0: ensemble-lab is as fast)');
  console.log('cpu: cores busy on average while the members train (CPU time over wall time)');
  if (engine.memberFitSeconds) {
    const fits = engine.memberFitSeconds.map((s) => s.toFixed(1)).join(', ');
    console.log(`ensemble-lab members' own fit times, s: ${fits}`);
  }
}

ensurePackages();
const dir = mkdtempSync(join(tmpdir(), 'ensemble-lab-bench-'));
console.log(`bench: ${cpus().length} cores, ${new Date().toISOString().slice(0, 10)}`);
const only = process.argv[2];
for (const workload of workloads().filter((w) => !only || w.name === only)) {
  const file = join(dir, `${workload.name}.json`);
  writeFileSync(file, JSON.stringify(workload));
  printTable(workload.name, [...runEngine(file), ...runTorch(file)]);
}
rmSync(dir, { recursive: true, force: true });
