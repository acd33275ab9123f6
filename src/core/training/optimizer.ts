import * as tf from '@tensorflow/tfjs-core';
import type { TrainingConfig } from '../config/types';

/** A fresh optimizer for one member, as the training config names it. */
export function makeOptimizer(config: TrainingConfig): tf.Optimizer {
  const { learningRate, momentum } = config;
  switch (config.optimizer) {
    case 'adam':
      return tf.train.adam(learningRate);
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(learningRate, momentum) : tf.train.sgd(learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, momentum);
  }
}

/**
 * Changes an optimizer's learning rate between steps, keeping its state (moments).
 * TF.js 4.22: SGD and momentum cache the rate in a scalar tensor, renewed only by
 * `setLearningRate`; Adam and RMSProp read their `learningRate` field on every step, but the
 * field is declared protected, hence the structural cast. (`instanceof SGDOptimizer` cannot
 * tell them apart: TF.js optimizers answer instanceof by duck typing.)
 */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const settable = optimizer as unknown as { setLearningRate?: (rate: number) => void };
  if (typeof settable.setLearningRate === 'function') {
    settable.setLearningRate(learningRate);
    return;
  }
  (optimizer as unknown as { learningRate: number }).learningRate = learningRate;
}
