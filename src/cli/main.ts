import { Command, InvalidArgumentError, Option } from 'commander';
import { resolve } from 'node:path';
import type { BackendPreference } from '../core/backend';
import { UserError } from '../core/errors';
import type { Job } from '../trainer/job';
import type { SweepJob } from '../trainer/run-sweep';
import { RunStore, STORE_FOLDER } from '../core/runs/store';
import { backendInstallCommand, backendStatusCommand, installBeforeTraining } from './backend';
import { deleteCommand, runsCommand, showCommand, trainCommand, validateCommand } from './commands';
import { reportError } from './errors';
import { evalCommand } from './evaluate';
import { predictCommand } from './predict';
import { sweepCommand, sweepsCommand } from './sweep';
import { SweepStore } from '../core/sweep/store';

/** Options every command that touches runs or the backend accepts. */
export interface CommonOptions {
  backend: BackendPreference;
  store: string;
  verbose?: boolean;
  /** Print one JSON value on standard output instead of text. */
  json?: boolean;
  parallel?: number;
  /** Try to install tfjs-node into the per-user folder before training. */
  installBackend?: boolean;
}

const backendOption = (): Option =>
  new Option('--backend <name>', 'TensorFlow.js backend')
    .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
    .default('auto');
const storeOption = (): Option =>
  new Option('--store <dir>', 'folder that keeps the runs').default(STORE_FOLDER);
const jsonOption = (): Option => new Option('--json', 'print JSON on standard output, for scripts');
const parallelOption = (): Option =>
  new Option(
    '--parallel <n>',
    'members computing at once on worker threads (default: cores)',
  ).argParser(toPositiveInt);
const installBackendOption = (): Option =>
  new Option(
    '--install-backend',
    'install tfjs-node first unless it is installed (on failure: a warning, then wasm)',
  );
const verboseOption = (): Option =>
  new Option('--verbose', 'log more, and print the stack of an unexpected error');

/** What main learns from the parsed command line before the command runs. */
interface Flags {
  verbose: boolean;
}

function program(flags: Flags): Command {
  const cli = new Command('ensemble-lab')
    .description('Train, compare and inspect ensembles of neural networks.')
    .showHelpAfterError()
    .exitOverride();
  cli.hook('preAction', (_, action) => {
    flags.verbose = action.opts<{ verbose?: boolean }>().verbose === true;
  });

  addTraining(cli);
  addInspection(cli);
  addUse(cli);
  addSweeps(cli);
  addBackend(cli);
  return cli;
}

function addTraining(cli: Command): void {
  cli
    .command('train <config>')
    .description('train the ensemble a *.ensemble.json file describes')
    .addOption(backendOption())
    .addOption(storeOption())
    .option('--seed <n>', 'override the config seed', toInt)
    .addOption(parallelOption())
    .addOption(installBackendOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action(async (config: string, o: CommonOptions & { seed?: number }) => {
      await installFirst(o);
      const job = { kind: 'train' as const, configPath: resolve(config), seed: o.seed };
      await trainCommand({ ...job, ...jobOptions(o) }, o);
    });
  addRunJob(cli, 'resume', 'finish an interrupted or cancelled run, training only missing members');
  addRunJob(cli, 'rerun', "train a run's exact config again, with its seed, as a new run");
  cli
    .command('validate <config>')
    .description('check a config and report every problem')
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((config: string, o: Pick<CommonOptions, 'json'>) =>
      validateCommand(resolve(config), o),
    );
}

function addInspection(cli: Command): void {
  cli
    .command('runs')
    .description('list the runs with their status and headline metric')
    .addOption(storeOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((o: CommonOptions) => runsCommand(store(o), o));
  cli
    .command('show <run>')
    .description("print a run's leaderboard")
    .addOption(storeOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((runId: string, o: CommonOptions) => showCommand(store(o), runId, o));
  cli
    .command('delete <run>')
    .description('delete a run and its files')
    .addOption(storeOption())
    .addOption(verboseOption())
    .action((runId: string, o: CommonOptions) => deleteCommand(store(o), runId));
}

function addUse(cli: Command): void {
  cli
    .command('eval <run>')
    .description("score a run's members and ensemble on its test split or on a labelled file")
    .option('--data <file>', 'labelled rows to score on (CSV, Parquet, or IDX images)')
    .option('--labels <file>', 'the IDX label file that goes with --data')
    .addOption(backendOption())
    .addOption(storeOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((runId: string, o: CommonOptions & { data?: string; labels?: string }) =>
      evalCommand(store(o), runId, o),
    );
  cli
    .command('predict <run> <file>')
    .description("predict a file's rows with a run's ensemble")
    .addOption(backendOption())
    .addOption(storeOption())
    .option('--out <file>', 'write predictions here instead of standard output')
    .addOption(new Option('-o, --output <file>', 'the same as --out').hideHelp())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((runId: string, file: string, o: CommonOptions & { out?: string; output?: string }) =>
      predictCommand(store(o), runId, resolve(file), { ...o, out: o.out ?? o.output }),
    );
}

function addSweeps(cli: Command): void {
  cli
    .command('sweep [config]')
    .description('search the hyperparameters of a config\'s "sweep" section')
    .option('--resume <sweep>', 'go on with an interrupted or cancelled sweep')
    .addOption(backendOption())
    .addOption(storeOption())
    .addOption(parallelOption())
    .addOption(installBackendOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action(async (config: string | undefined, o: CommonOptions & { resume?: string }) => {
      const job = sweepJob(config, o);
      await installFirst(o);
      await sweepCommand(job, o);
    });
  cli
    .command('sweeps')
    .description('list the sweeps with their status and best trial')
    .addOption(storeOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((o: CommonOptions) => sweepsCommand(new SweepStore(resolve(o.store)), o));
}

function sweepJob(config: string | undefined, o: CommonOptions & { resume?: string }): SweepJob {
  const common = { storeRoot: resolve(o.store), backend: o.backend, parallel: o.parallel };
  if (o.resume) return { kind: 'resume-sweep', sweepId: o.resume, ...common };
  if (config) return { kind: 'sweep', configPath: resolve(config), ...common };
  throw new UserError('give a config to sweep, or --resume <sweep> to go on with one');
}

function store(o: CommonOptions): RunStore {
  return new RunStore(resolve(o.store));
}

/** `resume <run>` or `rerun <run>`: a training job that starts from a stored run. */
function addRunJob(cli: Command, kind: 'resume' | 'rerun', description: string): void {
  cli
    .command(`${kind} <run>`)
    .description(description)
    .addOption(backendOption())
    .addOption(storeOption())
    .addOption(parallelOption())
    .addOption(installBackendOption())
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action(async (runId: string, o: CommonOptions) => {
      await installFirst(o);
      await trainCommand({ kind, runId, ...jobOptions(o) }, o);
    });
}

/** `--install-backend`: only `auto` and `tensorflow` would use what it installs. */
async function installFirst(o: CommonOptions): Promise<void> {
  if (!o.installBackend) return;
  if (o.backend === 'wasm' || o.backend === 'cpu') {
    throw new UserError(
      `--install-backend installs tfjs-node, which --backend ${o.backend} would not use; drop one of them`,
    );
  }
  await installBeforeTraining(o.verbose === true);
}

/** `backend install` and `backend status`: the native backend in the per-user folder. */
function addBackend(cli: Command): void {
  const backend = cli
    .command('backend')
    .description('install the native TensorFlow backend (tfjs-node), or show what is installed');
  backend
    .command('install')
    .description(
      'install @tensorflow/tfjs-node into ~/.ensemble-lab/backends (downloads libtensorflow)',
    )
    .option('--gpu', 'install @tensorflow/tfjs-node-gpu (CUDA) instead')
    .option('--package <spec>', 'the npm spec to install instead: a tarball, or another version')
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((o: Parameters<typeof backendInstallCommand>[0]) => backendInstallCommand(o));
  backend
    .command('status')
    .description('what is installed where, and which backend --backend auto chooses and why')
    .addOption(jsonOption())
    .addOption(verboseOption())
    .action((o: { json?: boolean }) => backendStatusCommand(o));
}

/** What every training job takes from the command line. */
function jobOptions(o: CommonOptions): Pick<Job, 'storeRoot' | 'backend' | 'parallel'> {
  return { storeRoot: resolve(o.store), backend: o.backend, parallel: o.parallel };
}

function toPositiveInt(value: string): number {
  const n = toInt(value);
  if (n < 1) throw new InvalidArgumentError(`"${value}" is not a whole number of at least 1.`);
  return n;
}

function toInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`"${value}" is not a whole number.`);
  return n;
}

/**
 * Runs the command line and returns its exit code: 0 on success, 1 when a run fails or on a
 * bug, 2 on bad input (one sentence naming the file and position), 130 when cancelled.
 */
export async function main(argv: string[]): Promise<number> {
  const flags: Flags = { verbose: false };
  try {
    await program(flags).parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    return reportError(error, flags.verbose);
  }
}

/**
 * Exits once standard output and standard error have taken everything written to them: a
 * plain process.exit cuts `--json` output into a pipe at the pipe's 64 KiB buffer.
 */
export function exitAfterOutput(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

if (require.main === module) {
  void main(process.argv).then(exitAfterOutput);
}
