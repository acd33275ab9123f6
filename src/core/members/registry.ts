import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UserError } from '../errors';
import { buildCnn, buildLinear, buildMlp } from './builders';
import type { BuildInput, MemberBuilder } from './types';

const builders = new Map<string, MemberBuilder>([
  ['mlp', buildMlp],
  ['cnn', buildCnn],
  ['linear', buildLinear],
]);

/** Adds (or replaces) the builder for a member kind; configs name kinds in `model`. */
export function registerMember(kind: string, builder: MemberBuilder): void {
  builders.set(kind, builder);
}

/** Builds the untrained model for one member, by its kind. */
export function buildMember(input: BuildInput): LayersModel {
  const builder = builders.get(input.spec.model);
  if (!builder) {
    const known = [...builders.keys()].join(', ');
    throw new UserError(
      `member "${input.spec.name}" has unknown model "${input.spec.model}"; use one of ${known}`,
    );
  }
  return builder(input);
}

/** Trainable and non-trainable parameters (weights) of a model. */
export function parameterCount(model: LayersModel): number {
  return model.countParams();
}
