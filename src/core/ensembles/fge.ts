import type { EnsembleConfig, MemberSpec } from '../config/types';
import { mergeTraining } from '../training/merge';
import type { Combiner } from './combine';
import { cycleTraining, trainChain, type Cycle } from './cycles';
import { outputWidth, type MemberOutputs } from './evaluate';
import type { EnsembleMethodModule, MemberNote, MethodContext, MethodResult } from './plan';
import { combineSplits } from './planned';

/**
 * Fast geometric ensembling (Garipov et al., 2018): each member spec trains as usual, then
 * runs `cycles` short cycles whose learning rate falls from a high to a low rate, each
 * starting where the one before ended; the model at each low point is collected. The
 * collected models, which lie along a low-loss path near the trained one, are combined with
 * equal weights by the config's rule (soft vote or mean by default: their outputs averaged);
 * the trained network they start from is reported but not combined.
 */
export const fge: EnsembleMethodModule = {
  members: ({ config }) =>
    config.members.flatMap((spec) =>
      fgeCycles(config, spec).map((c) => ({ name: c.name, kind: spec.model })),
    ),
  run: async (context) => {
    const chains: MemberOutputs[][] = [];
    for (const spec of context.config.members)
      chains.push(await trainChain(context, spec, fgeCycles(context.config, spec)));
    return combineCollected(context, chains);
  },
};

/** The first training of a spec, as configured, then its short cycles. */
export function fgeCycles(config: EnsembleConfig, spec: MemberSpec): Cycle[] {
  const { cycles, cycleEpochs } = config.ensemble.fge;
  const merged = mergeTraining(config.training, spec.training);
  const rates = fgeRates(config, spec);
  const collected = Array.from({ length: cycles }, (_, i) => ({
    name: `${spec.name}-fge-${i + 1}`,
    training: cycleTraining(config.training, spec, { epochs: cycleEpochs, ...rates }),
  }));
  return [{ name: spec.name, training: merged }, ...collected];
}

function fgeRates(config: EnsembleConfig, spec: MemberSpec): { high: number; low: number } {
  const base = mergeTraining(config.training, spec.training).learningRate;
  const { highLearningRate, lowLearningRate } = config.ensemble.fge;
  return { high: highLearningRate ?? base, low: lowLearningRate ?? base / 20 };
}

/** Averages every chain's collected models with equal weights; the first of each is a base. */
function combineCollected(context: MethodContext, chains: MemberOutputs[][]): MethodResult {
  const members = chains.flatMap((chain) => chain.slice(1));
  const others = chains.map((chain) => chain[0]).filter((m) => m !== undefined);
  const notes: Record<string, MemberNote> = {};
  others.forEach((m) => (notes[m.plan.name] = { role: 'base', weight: 0 }));
  chains.forEach((chain) =>
    chain
      .slice(1)
      .forEach((m, i) => (notes[m.plan.name] = { weight: 1 / members.length, cycle: i + 1 })),
  );

  const rule = context.config.ensemble.combine;
  const weights = members.map(() => 1 / members.length);
  const combiner: Combiner = {
    kind: 'rule',
    rule,
    width: outputWidth(context.data.train),
    weights,
  };
  const details = {
    fge: { ...context.config.ensemble.fge, ...fgeRates(context.config, context.config.members[0]) },
  };
  return { members, others, notes, combiner, combined: combineSplits(combiner, members), details };
}
