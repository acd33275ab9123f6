export { computeClassWeights } from './class-weights';
export { trainModel } from './train';
export { mergeTraining } from './merge';
export { makeOptimizer, setLearningRate } from './optimizer';
export { evaluate, outputUnits, predictProba, type Evaluation } from './predict';
export { learningRateAt } from './schedule';
export type { EpochLog, TrainInput, TrainResult } from './types';
