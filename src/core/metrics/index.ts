export {
  argmaxRows,
  binaryAveragePrecision,
  binaryRocAuc,
  classificationMetrics,
  reliabilityCurve,
} from './classification';
export type { ClassificationMetrics, PerClassMetrics, ReliabilityBin } from './classification';
export { regressionMetrics } from './regression';
export type { RegressionMetrics } from './regression';
export {
  classifierDiversity,
  pairStatistics,
  regressorDiversity,
  statisticsFromTable,
} from './diversity';
export type { DiversityReport, MemberPredictions, PairDiversity } from './diversity';
export {
  CLASSIFICATION_METRIC_NAMES,
  METRIC_DIRECTION,
  REGRESSION_METRIC_NAMES,
  flattenClassification,
  flattenRegression,
  headlineMetric,
} from './names';
export { bootstrapInterval } from './bootstrap';
export type { BootstrapInterval } from './bootstrap';
