import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import type { BackendPreference } from '../core/backend';
import { isUserError } from '../core/errors';
import { stderrLogger } from '../core/log';
import { RunStore, STORE_FOLDER } from '../core/runs/store';
import {
  deleteCommand,
  predictCommand,
  runsCommand,
  showCommand,
  trainCommand,
  validateCommand,
} from './commands';

const backendOption = new Option('--backend <name>', 'TensorFlow.js backend')
  .choices(['auto', 'tensorflow', 'wasm', 'cpu'])
  .default('auto');
const storeOption = new Option('--store <dir>', 'folder that keeps the runs').default(STORE_FOLDER);

export interface CommonOptions {
  backend: BackendPreference;
  store: string;
  verbose?: boolean;
}

function program(): Command {
  const cli = new Command('ensemble-lab')
    .description('Train, compare and inspect ensembles of neural networks.')
    .showHelpAfterError();

  cli
    .command('train <config>')
    .description('train the ensemble a *.ensemble.json file describes')
    .addOption(backendOption)
    .addOption(storeOption)
    .option('--seed <n>', 'override the config seed', toInt)
    .option('--verbose', 'log more')
    .action((config: string, o: CommonOptions & { seed?: number }) =>
      trainCommand(
        {
          kind: 'train',
          configPath: resolve(config),
          storeRoot: resolve(o.store),
          backend: o.backend,
          seed: o.seed,
        },
        o,
      ),
    );
  cli
    .command('resume <run>')
    .description('finish an interrupted or cancelled run, training only missing members')
    .addOption(backendOption)
    .addOption(storeOption)
    .option('--verbose', 'log more')
    .action((runId: string, o: CommonOptions) =>
      trainCommand({ kind: 'resume', runId, storeRoot: resolve(o.store), backend: o.backend }, o),
    );
  cli
    .command('validate <config>')
    .description('check a config and report every problem')
    .action((config: string) => validateCommand(resolve(config)));
  cli
    .command('runs')
    .description('list the runs')
    .addOption(storeOption)
    .action((o: CommonOptions) => runsCommand(new RunStore(resolve(o.store))));
  cli
    .command('show <run>')
    .description("print a run's leaderboard")
    .addOption(storeOption)
    .action((runId: string, o: CommonOptions) =>
      showCommand(new RunStore(resolve(o.store)), runId),
    );
  cli
    .command('predict <run> <file>')
    .description("predict a file's rows with a run's ensemble")
    .addOption(backendOption)
    .addOption(storeOption)
    .option('-o, --output <file>', 'write predictions here (CSV) instead of standard output')
    .action((runId: string, file: string, o: CommonOptions & { output?: string }) =>
      predictCommand(new RunStore(resolve(o.store)), runId, resolve(file), o),
    );
  cli
    .command('delete <run>')
    .description('delete a run and its files')
    .addOption(storeOption)
    .action((runId: string, o: CommonOptions) =>
      deleteCommand(new RunStore(resolve(o.store)), runId),
    );
  return cli;
}

function toInt(value: string): number {
  const n = Number.parseInt(value, 10);
  if (!Number.isFinite(n)) throw new Error(`"${value}" is not a whole number`);
  return n;
}

/** Expected mistakes print one sentence and exit 2; anything else is a bug: exit 1 with detail. */
export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (error) {
    if (isUserError(error)) {
      process.stderr.write(`error: ${error.toString()}\n`);
      return 2;
    }
    stderrLogger('error').log(
      'error',
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv).then((code) => process.exit(code));
}
