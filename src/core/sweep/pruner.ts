import type { PrunerConfig } from '../config/sweep-types';
import type { ObservedTrial } from './history';

/** What a pruner is asked after each epoch of a trial. */
export interface PruneQuestion {
  /** The trial being trained. */
  number: number;
  /** 1-based. */
  epoch: number;
  /** Its intermediate loss after that epoch (lower is better). */
  loss: number;
  /** Every other trial of the sweep, with its intermediate losses. */
  others: ObservedTrial[];
  /** Words for an intermediate loss in reasons (`validation accuracy 0.9310`). */
  describe?: (loss: number) => string;
}

/**
 * Decides from intermediate scores whether a trial should stop. Returns why it should (a
 * sentence for the trial's record and the run), or undefined to let it go on.
 */
export interface Pruner {
  prune(question: PruneQuestion): string | undefined;
}

/** The pruner a sweep config names. */
export function createPruner(config: PrunerConfig): Pruner {
  switch (config.type) {
    case 'none':
      return { prune: () => undefined };
    case 'median':
      return medianPruner(config.startupTrials, config.warmupEpochs);
    case 'asha':
      return ashaPruner(config.minEpochs, config.reductionFactor);
  }
}

/**
 * Stops a trial whose loss at epoch e is worse than the median of the completed trials'
 * losses at e, once `startupTrials` completed trials reached e and after `warmupEpochs`.
 */
export function medianPruner(startupTrials: number, warmupEpochs: number): Pruner {
  return {
    prune: ({ epoch, loss, others, describe = String }) => {
      if (epoch <= warmupEpochs) return undefined;
      const atEpoch = others
        .filter((t) => t.state === 'completed' && t.curve.length >= epoch)
        .map((t) => t.curve[epoch - 1]);
      if (atEpoch.length < startupTrials) return undefined;
      const median = medianOf(atEpoch);
      if (!(loss > median)) return undefined;

      return (
        `pruned at epoch ${epoch}: ${describe(loss)} is worse than the median ` +
        `${describe(median)} of ${atEpoch.length} completed trials there`
      );
    },
  };
}

/**
 * Asynchronous successive halving (Li et al., 2020). Rungs sit at minEpochs · η^k epochs; a
 * trial that reaches a rung goes on only while it is among the best ⌊n/η⌋ (at least one) of
 * the n trials that have reached that rung so far, itself included. Trials are judged as
 * they arrive, never waiting for a rung to fill.
 */
export function ashaPruner(minEpochs: number, reductionFactor: number): Pruner {
  return {
    prune: ({ epoch, loss, others, describe = String }) => {
      const rung = rungOf(epoch, minEpochs, reductionFactor);
      if (rung === undefined) return undefined;
      const rivals = others.filter((t) => t.curve.length >= epoch).map((t) => t.curve[epoch - 1]);
      const kept = Math.max(1, Math.floor((rivals.length + 1) / reductionFactor));
      const better = rivals.filter((r) => r < loss).length;
      if (better < kept) return undefined;

      return (
        `pruned at epoch ${epoch} (rung ${rung}): ${describe(loss)}; ${better} of ` +
        `${rivals.length} trials did better there, and only the best ${kept} go on`
      );
    },
  };
}

/** The rung whose budget is exactly `epoch`, if any. */
export function rungOf(
  epoch: number,
  minEpochs: number,
  reductionFactor: number,
): number | undefined {
  for (let k = 0, budget = minEpochs; budget <= epoch; k++, budget *= reductionFactor) {
    if (budget === epoch) return k;
  }
  return undefined;
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
