import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EarlyStoppingConfig, Task } from '../config/types';
import type { EpochLog } from './types';

/**
 * Follows the monitored validation metric across epochs: which epoch was best, whether
 * patience has run out, and (when asked) a copy of the best epoch's weights to restore.
 * Without early stopping it still tracks the best validation loss, for `bestEpoch`.
 */
export class BestEpochTracker {
  bestEpoch = 0;
  private best = Number.NaN;
  private waited = 0;
  private snapshot: tf.Tensor[] | undefined;
  private readonly monitor: 'loss' | 'accuracy';

  constructor(
    private readonly config: EarlyStoppingConfig | undefined,
    task: Task,
  ) {
    // Accuracy means nothing for regression; loss is the only sensible watch there.
    this.monitor =
      task === 'classification' && config?.monitor === 'accuracy' ? 'accuracy' : 'loss';
  }

  /** Records an epoch that has validation metrics; true when training should stop. */
  update(log: EpochLog, model: LayersModel): boolean {
    const value = this.monitor === 'accuracy' ? log.valAccuracy : log.valLoss;
    if (value === undefined || Number.isNaN(value)) return false;

    if (this.improves(value)) {
      this.best = value;
      this.bestEpoch = log.epoch;
      this.waited = 0;
      if (this.config?.restoreBestWeights) this.keep(model);
      return false;
    }
    this.waited++;
    return this.config !== undefined && this.waited > this.config.patience;
  }

  /** Puts the best epoch's weights back into the model, if they were kept. */
  restore(model: LayersModel): boolean {
    if (!this.snapshot) return false;
    model.setWeights(this.snapshot);
    return true;
  }

  dispose(): void {
    this.snapshot?.forEach((tensor) => tensor.dispose());
    this.snapshot = undefined;
  }

  private improves(value: number): boolean {
    if (Number.isNaN(this.best)) return true;
    const delta = this.config?.minDelta ?? 0;
    return this.monitor === 'accuracy' ? value > this.best + delta : value < this.best - delta;
  }

  private keep(model: LayersModel): void {
    this.dispose();
    // getWeights() includes batch-norm moving statistics, which belong to the best epoch too.
    this.snapshot = model.getWeights().map((weight) => tf.clone(weight));
  }
}
