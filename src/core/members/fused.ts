import * as tfl from '@tensorflow/tfjs-layers';
import type { MemberSpec } from '../config/types';
import { buildMember } from './registry';
import type { BuildInput } from './types';

/**
 * One network made of several members' networks side by side: each branch reads the same
 * input, and the output is the mean of the branches' outputs (class probabilities, or values).
 * Trained as one model, the branches learn jointly to make a good average (fusion), rather
 * than each on its own.
 */
export function buildFused(input: BuildInput, branches: MemberSpec[]): tfl.LayersModel {
  const inputs = tfl.input({ shape: input.inputShape });
  const outputs = branches.map((spec, i) => {
    const branch = buildMember({ ...input, spec, seed: (input.seed + i * 7919) >>> 0 });
    return branch.apply(inputs) as tfl.SymbolicTensor;
  });
  const mean =
    outputs.length > 1 ? (tfl.layers.average().apply(outputs) as tfl.SymbolicTensor) : outputs[0];
  return tfl.model({ inputs, outputs: mean, name: `fused_${input.spec.name}` });
}
