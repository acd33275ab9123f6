import type { DataConfig } from '../config/types';
import type { Logger } from '../log';
import { Rng } from '../random';
import { classIndices, prepareSplit, readAndType } from './prepare';
import { assignFolds, splitRows } from './split';
import type { PreparedData } from './types';

/** How the rows of the training file are dealt into folds for cross-validation. */
export interface FoldOptions {
  folds: number;
  /** Keep each class's share in every fold (classification only). */
  stratify: boolean;
  /** The config file, where data mistakes point. */
  sourceFile?: string;
  sampleWeightColumn?: string;
}

/**
 * The k train/validation/test splits of k-fold cross-validation over every row of the
 * training file: fold i is the test part of split i, the other folds are its training pool,
 * from which `validationFraction` is held out as usual. Each split has its own preprocessing,
 * fitted on its own training rows. A `data.test` setting is ignored: the folds are the tests.
 */
export async function prepareFolds(
  config: DataConfig,
  seed: number,
  logger: Logger,
  options: FoldOptions,
): Promise<PreparedData[]> {
  const typed = await readAndType(config, logger, options.sourceFile, options.sampleWeightColumn);
  const rng = new Rng(seed).fork('cross-validation');
  const strata = typed.task === 'classification' ? classIndices(typed) : undefined;
  const foldOf = assignFolds(
    typed.train.rows,
    options.folds,
    rng,
    options.stratify ? strata : undefined,
  );

  return Array.from({ length: options.folds }, (_, fold) => {
    const pool = rowsWhere(foldOf, (f) => f !== fold);
    const test = rowsWhere(foldOf, (f) => f === fold);
    const { kept, held } = splitRows(
      pool,
      config.validationFraction,
      rng.fork(`fold-${fold}`),
      strata,
    );
    const parts = { train: kept, validation: held, test, testTable: typed.train };
    return prepareSplit(typed, config, parts, options.sampleWeightColumn);
  });
}

function rowsWhere(foldOf: Int32Array, keep: (fold: number) => boolean): number[] {
  const rows: number[] = [];
  foldOf.forEach((fold, row) => {
    if (keep(fold)) rows.push(row);
  });
  return rows;
}
