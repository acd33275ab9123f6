import type { EnsembleConfig } from '../config/types';
import { applyPreprocessor, prepareData, type RawTable } from '../data/prepare';
import type { Dataset } from '../data/types';
import { buildReport, type MemberOutputs } from '../ensembles/evaluate';
import type { Logger } from '../log';
import type { MemberNote, MethodResult } from '../ensembles/plan';
import {
  predictEnsemble,
  readRunSetup,
  type EnsemblePrediction,
  type MemberPrediction,
} from './predict';
import type { RunReport } from './report';
import type { Run } from './store';

/** The labelled rows a run is scored on, with the split sizes its report states. */
interface EvaluationRows {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  source?: string;
}

/**
 * Scores a run's finished members and its ensemble again, from their saved models, and
 * returns a report in the shape of report.json. Without `table` the rows are the run's own
 * test split, rebuilt from its config and seed; with `table` they are that file's rows,
 * preprocessed as the training rows were. The file must hold the target column.
 */
export async function evaluateRun(run: Run, logger: Logger, table?: RawTable): Promise<RunReport> {
  const { config, preprocessor } = readRunSetup(run);
  const rows = table
    ? fileRows(applyPreprocessor(preprocessor, table, true), table.path)
    : await testRows(run, config, logger);

  const ensemble = await predictEnsemble(run, config, rows.test);
  const result = methodResult(run, config, ensemble);
  const report = buildReport(run.id, config, rows, result, failedMembers(run));
  return rows.source ? { ...report, source: rows.source } : report;
}

/**
 * What the report is built from: the combined members' outputs and the ensemble's, with what
 * the method noted about each member (weight, α, fold...) taken from the run's own report.
 * Members the ensemble does not combine directly (a stack's meta-learner, out-of-fold models)
 * are not scored again: their inputs are not the file's rows.
 */
function methodResult(
  run: Run,
  config: EnsembleConfig,
  ensemble: EnsemblePrediction,
): MethodResult {
  const saved = run.readJson<RunReport>('report.json');
  const notes = Object.fromEntries((saved?.members ?? []).map((m) => [m.name, noteOf(m)]));
  return {
    members: ensemble.members.map((p) => memberOutputs(run, config, p)),
    others: [],
    combined: { test: ensemble.outputs },
    combiner: ensemble.combiner,
    notes,
  };
}

function noteOf(member: RunReport['members'][number]): MemberNote {
  const { weight, alpha, error, fold, round, role, count, validationScore } = member;
  return { weight, alpha, error, fold, round, role, count, validationScore };
}

async function testRows(run: Run, config: EnsembleConfig, logger: Logger): Promise<EvaluationRows> {
  const { configPath, training } = config;
  const data = await prepareData(
    config.data,
    run.manifest.seed,
    logger,
    configPath,
    training.sampleWeightColumn,
  );

  const saved = JSON.stringify(run.readJson('preprocessor.json'));
  if (JSON.stringify(data.preprocessor) !== saved)
    logger.log(
      'warn',
      `the training data of run "${run.id}" changed since it trained, so its test split ` +
        'may hold other rows than the report was made on',
    );
  return data;
}

/** A file's rows as the test part; the other parts are empty, and the report names the file. */
function fileRows(test: Dataset, source: string): EvaluationRows {
  const none: Dataset = { ...test, x: new Float32Array(0), y: new Float32Array(0), rows: 0 };
  return { train: none, validation: none, test, source };
}

function memberOutputs(run: Run, config: EnsembleConfig, p: MemberPrediction): MemberOutputs {
  const spec = config.members.find((m) => m.name === p.name);
  if (!spec) throw new Error(`member "${p.name}" of run "${run.id}" is not in its config.json`);

  const details = run.readJson<MemberOutputs['details']>(`members/${p.name}/details.json`);
  // Scoring reads only the plan's name: no train outputs are given, so no out-of-bag estimate.
  const plan = { name: p.name, spec, seed: 0 };
  return { plan, kind: spec.model, test: p.outputs, details: details ?? {} };
}

function failedMembers(run: Run): { name: string; kind: string; reason: string }[] {
  return run.manifest.members
    .filter((m) => m.status === 'failed')
    .map((m) => ({ name: m.name, kind: m.kind, reason: m.reason ?? 'no reason was kept' }));
}
