import type { DataConfig } from '../config/types';
import type { Logger } from '../log';
import { Rng } from '../random';
import { classIndices, readAndType, textColumns, withWeights, type Typed } from './prepare';
import { applyPreprocessor, fitPreprocessor } from './preprocess';
import { assignFolds, splitRows } from './split';
import type { Dataset, PreparedData } from './types';

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
    return prepareSplit(typed, config, { train: kept, validation: held, test }, options);
  });
}

function prepareSplit(
  typed: Typed,
  config: DataConfig,
  parts: { train: number[]; validation: number[]; test: number[] },
  options: FoldOptions,
): PreparedData {
  const weightColumn = options.sampleWeightColumn;
  const state = fitPreprocessor(typed.train, parts.train, {
    target: typed.target,
    task: typed.task,
    classes: typed.classes,
    preprocess: config.preprocess,
    exclude: weightColumn ? [weightColumn] : [],
    text: textColumns(config),
  });

  const build = (rows: number[]): Dataset =>
    withWeights(applyPreprocessor(state, typed.train, true, rows), typed.train, rows, weightColumn);
  return {
    train: build(parts.train),
    validation: build(parts.validation),
    test: build(parts.test),
    preprocessor: state,
  };
}

function rowsWhere(foldOf: Int32Array, keep: (fold: number) => boolean): number[] {
  const rows: number[] = [];
  foldOf.forEach((fold, row) => {
    if (keep(fold)) rows.push(row);
  });
  return rows;
}
