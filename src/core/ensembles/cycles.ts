import type { MemberSpec, TrainingConfig } from '../config/types';
import { mergeTraining } from '../training/merge';
import type { MemberOutputs } from './evaluate';
import { MemberFailed, type MethodContext } from './plan';

/** One learning-rate cycle of a warm-started chain: its member's name and training. */
export interface Cycle {
  name: string;
  training: TrainingConfig;
}

/**
 * Trains the cycles of one member spec one after another, each starting from the weights the
 * cycle before it ended with (the first from the seeded initialization), so the chain is one
 * training run cut where a model is kept. A failed cycle ends the chain: those after it have
 * no weights to start from. Returns the cycles that trained, in order.
 */
export async function trainChain(
  context: MethodContext,
  spec: MemberSpec,
  cycles: Cycle[],
): Promise<MemberOutputs[]> {
  const trained: MemberOutputs[] = [];
  for (const cycle of cycles) {
    const previous = trained.at(-1);
    const plan = {
      name: cycle.name,
      spec,
      seed: context.rng.fork(cycle.name).nextUint32(),
      training: cycle.training,
      initialWeights: previous?.weights,
      keepWeights: true,
    };
    try {
      trained.push(await context.trainMember(plan));
    } catch (error) {
      if (!(error instanceof MemberFailed)) throw error;
      break;
    }
    if (previous) delete previous.weights;
  }
  trained.forEach((m) => delete m.weights);
  return trained;
}

/**
 * A cycle's training: the member's settings for `epochs` epochs of a cosine fall from `high`
 * to `low`, with no early stopping (a cycle's end is where its model is kept).
 */
export function cycleTraining(
  base: TrainingConfig,
  spec: MemberSpec,
  cycle: { epochs: number; high: number; low: number },
): TrainingConfig {
  const merged = mergeTraining(base, spec.training);
  const rest = { ...merged };
  delete rest.earlyStopping;
  return {
    ...rest,
    epochs: cycle.epochs,
    learningRate: cycle.high,
    schedule: { type: 'cosine', minLearningRate: cycle.low },
  };
}
