import type { EnsembleConfig } from '../config/types';
import { errorAt } from '../config/error-at';
import type { Combiner } from './combine';
import { outputWidth } from './evaluate';
import type { EnsembleMethodModule, MemberPlan } from './plan';

/**
 * Fusion: every member's network is built side by side into one model whose output is the
 * mean of theirs, and that model is trained as one member, so the members learn jointly what
 * makes a good average. The ensemble is that one trained model.
 */
export const fusion: EnsembleMethodModule = {
  members: ({ config }) => [{ name: fusedName(config), kind: config.members[0].model }],
  run: async (context) => {
    const { config } = context;
    if (context.data.train.task !== 'classification')
      throw errorAt(
        config,
        'ensemble.method',
        'method "fusion" needs a classification task; use "averaging"',
      );

    const plan = fusedPlan(config, context.rng.fork('fusion').nextUint32());
    const fused = await context.trainMember(plan);
    const combiner: Combiner = {
      kind: 'rule',
      rule: 'soft-vote',
      width: outputWidth(context.data.train),
      weights: [1],
    };
    const details = { fusion: { branches: config.members.map((m) => m.name) } };
    const combined = { test: fused.test, validation: fused.validation };
    return {
      members: [fused],
      others: [],
      notes: { [plan.name]: { weight: 1 } },
      combiner,
      combined,
      details,
    };
  },
};

function fusedName(config: EnsembleConfig): string {
  return `fused-${config.members.length}`;
}

function fusedPlan(config: EnsembleConfig, seed: number): MemberPlan {
  const spec = { ...config.members[0], name: fusedName(config) };
  return { name: spec.name, spec, seed, branches: config.members };
}
