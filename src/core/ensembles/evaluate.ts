import type { EnsembleConfig } from '../config/types';
import type { Dataset } from '../data/types';
import type { NetworkWeights } from '../members/kind';
import {
  argmaxRows,
  classificationMetrics,
  classifierDiversity,
  flattenClassification,
  flattenRegression,
  headlineMetric,
  regressionMetrics,
  regressorDiversity,
  reliabilityCurve,
} from '../metrics';
import type { MemberReport, RunReport, ScoredModel } from '../runs/report';
import { outOfBag } from './bagging';
import type { MemberNote, MemberPlan, MethodResult } from './plan';

/** A member's outputs on each split, rows x width (probabilities or values). */
export interface MemberOutputs {
  plan: MemberPlan;
  kind: string;
  test: Float32Array;
  validation?: Float32Array;
  /** On every training row, for the out-of-bag estimate. */
  train?: Float32Array;
  /** The trained weights, when the plan asked to keep them. */
  weights?: NetworkWeights;
  details: Omit<MemberReport, 'name' | 'kind' | 'metrics' | 'status'>;
}

type Scores = Pick<ScoredModel, 'metrics' | 'confusion' | 'perClass'>;

/** Test metrics of one set of outputs, by metric name. */
export function score(data: Dataset, outputs: Float32Array): Scores {
  if (data.task === 'regression')
    return { metrics: { ...flattenRegression(regressionMetrics(data.y, outputs)) } };

  const m = classificationMetrics(data.y, outputs, data.classes);
  return { metrics: flattenClassification(m), confusion: m.confusion, perClass: m.perClass };
}

export function outputWidth(data: Dataset): number {
  return data.task === 'classification' ? data.classes.length : 1;
}

/**
 * Scores what a method made: each member (with what the method did to it), the ensemble,
 * the mean member, diversity, the out-of-bag estimate and calibration.
 */
export function buildReport(
  runId: string,
  config: EnsembleConfig,
  data: { train: Dataset; validation: Dataset; test: Dataset },
  result: MethodResult,
  failed: { name: string; kind: string; reason: string }[],
): RunReport {
  const width = outputWidth(data.test);
  const { members, combined } = result;
  const memberReports = members.map((m) => memberReport(m, data, result.notes[m.plan.name]));
  const otherReports = result.others.map((m) => memberReport(m, data, result.notes[m.plan.name]));

  return {
    runId,
    configName: config.name,
    task: data.test.task,
    classes: data.test.classes,
    method: config.ensemble.method,
    combine: result.combiner.kind === 'rule' ? result.combiner.rule : result.combiner.kind,
    headline: headlineMetric(data.test.task),
    split: { train: data.train.rows, validation: data.validation.rows, test: data.test.rows },
    ensemble: {
      name: 'ensemble',
      kind: 'ensemble',
      ...score(data.test, combined.test),
      validationMetrics:
        combined.validation && data.validation.rows > 0
          ? score(data.validation, combined.validation).metrics
          : undefined,
    },
    members: [
      ...memberReports,
      ...otherReports,
      ...failed.map((f) => ({ ...f, status: 'failed' as const, metrics: {} })),
    ],
    meanMember: meanMetrics(memberReports),
    diversity: diversityOf(data.test, members),
    oob: oobEstimate(config, data.train, members),
    reliability:
      data.test.task === 'classification'
        ? reliabilityCurve(data.test.y, combined.test, width)
        : undefined,
    ...(result.details ? { methodDetails: result.details } : {}),
  };
}

function memberReport(
  m: MemberOutputs,
  data: { validation: Dataset; test: Dataset },
  note: MemberNote | undefined,
): MemberReport {
  const scored = !m.plan.targets;
  const validationMetrics =
    scored && m.validation && data.validation.rows > 0
      ? score(data.validation, m.validation).metrics
      : undefined;
  return {
    name: m.plan.name,
    kind: m.kind,
    status: 'done',
    ...(scored ? score(data.test, m.test) : { metrics: {} }),
    validationMetrics,
    ...m.details,
    ...note,
  };
}

function meanMetrics(members: MemberReport[]): Record<string, number> {
  const sums: Record<string, number> = {};
  members.forEach((m) =>
    Object.entries(m.metrics).forEach(([k, v]) => (sums[k] = (sums[k] ?? 0) + v)),
  );
  return Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / members.length]));
}

function diversityOf(test: Dataset, members: MemberOutputs[]): RunReport['diversity'] {
  if (members.length < 2) return undefined;
  if (test.task === 'regression') {
    const d = regressorDiversity(
      test.y,
      members.map((m) => ({ name: m.plan.name, predicted: m.test })),
    );
    return { pairs: d.pairs, mean: { errorCorrelation: d.meanErrorCorrelation } };
  }

  const width = test.classes.length;
  const predicted = members.map((m) => ({
    name: m.plan.name,
    predicted: argmaxRows(m.test, width),
  }));
  const d = classifierDiversity(test.y, predicted);
  return { pairs: d.pairs.map((p) => ({ ...p })), mean: { ...d.mean } };
}

function oobEstimate(
  config: EnsembleConfig,
  train: Dataset,
  members: MemberOutputs[],
): RunReport['oob'] {
  const wanted = config.ensemble.method === 'bagging' && config.ensemble.bagging.oobScore;
  if (!wanted || members.some((m) => !m.train)) return undefined;

  const width = outputWidth(train);
  const trainOutputs = members.map((m) => m.train as Float32Array);
  const { rows, combined } = outOfBag(
    members.map((m) => m.plan),
    trainOutputs,
    train.rows,
    width,
    config.ensemble.combine,
  );
  if (rows.length === 0) return undefined;

  const labels = Float32Array.from(rows, (r) => train.y[r]);
  const subset: Dataset = { ...train, y: labels, rows: rows.length };
  const metric = headlineMetric(train.task);
  return {
    metric,
    value: score(subset, combined).metrics[metric],
    coverage: rows.length / train.rows,
  };
}
