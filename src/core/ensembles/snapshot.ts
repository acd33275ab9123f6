import type { EnsembleConfig, MemberSpec } from '../config/types';
import { mergeTraining } from '../training/merge';
import { cycleTraining, trainChain, type Cycle } from './cycles';
import type { MemberOutputs } from './evaluate';
import type { EnsembleMethodModule, MemberNote } from './plan';
import { combineByRule } from './planned';

/**
 * Snapshot ensembles (Huang et al., 2017): each member spec trains once, with a learning
 * rate that restarts high and falls by a cosine to a minimum `cycles` times over
 * `training.epochs`; the weights at the end of each cycle are one member, and the snapshots
 * are combined by the config's rule (soft vote or mean by default).
 */
export const snapshot: EnsembleMethodModule = {
  members: ({ config }) =>
    config.members.flatMap((spec) =>
      snapshotCycles(config, spec).map((c) => ({ name: c.name, kind: spec.model })),
    ),
  run: async (context) => {
    const trained: MemberOutputs[] = [];
    const cycleOf: Record<string, number> = {};
    for (const spec of context.config.members) {
      const chain = await trainChain(context, spec, snapshotCycles(context.config, spec));
      chain.forEach((m, i) => (cycleOf[m.plan.name] = i + 1));
      trained.push(...chain);
    }

    const result = combineByRule(context, trained);
    const notes: Record<string, MemberNote> = {};
    for (const m of trained)
      notes[m.plan.name] = { ...result.notes[m.plan.name], cycle: cycleOf[m.plan.name] };
    return { ...result, notes, details: { snapshot: snapshotDetails(context.config) } };
  },
};

/** The cycles of one spec: `training.epochs` split evenly, a cosine fall in each. */
export function snapshotCycles(config: EnsembleConfig, spec: MemberSpec): Cycle[] {
  const { cycles } = config.ensemble.snapshot;
  const merged = mergeTraining(config.training, spec.training);
  const epochs = Math.max(1, Math.round(merged.epochs / cycles));
  const high = merged.learningRate;
  const low = config.ensemble.snapshot.minLearningRate ?? high / 100;

  return Array.from({ length: cycles }, (_, i) => ({
    name: `${spec.name}-snapshot-${i + 1}`,
    training: cycleTraining(config.training, spec, { epochs, high, low }),
  }));
}

/** What report.json's methodDetails says: the cycles and their learning rates. */
function snapshotDetails(config: EnsembleConfig): Record<string, unknown> {
  const merged = mergeTraining(config.training, config.members[0].training);
  const { cycles, minLearningRate } = config.ensemble.snapshot;
  return {
    cycles,
    epochsPerCycle: Math.max(1, Math.round(merged.epochs / cycles)),
    learningRate: { high: merged.learningRate, low: minLearningRate ?? merged.learningRate / 100 },
  };
}
