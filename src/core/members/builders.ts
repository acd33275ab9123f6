import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import type { MemberSpec } from '../config/types';
import { UserError } from '../errors';
import { Rng } from '../random';
import { SeededDropout } from './seeded-dropout';
import type { BuildInput } from './types';

/** Hands out the seeds of one build in a fixed order, so a build is reproducible. */
type SeedStream = () => number;

type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;
type Regularizer = ReturnType<typeof tfl.regularizers.l1l2>;

/** Dense hidden layers with optional batch norm and dropout, then the output layer. */
export function buildMlp(input: BuildInput): LayersModel {
  const { spec } = input;
  const seeds = seedStream(input.seed);
  const model = startModel(input.inputShape);

  for (const units of spec.hidden) {
    addDense(model, spec, units, seeds);
    addDropout(model, spec.dropout, seeds);
  }
  addOutput(model, input, seeds);
  return model;
}

/**
 * Convolution blocks (conv, activation, 2x2 max pooling while the map is larger than 2),
 * then a dense layer, dropout and the output layer. Needs image rows `[h, w, c]`.
 */
export function buildCnn(input: BuildInput): LayersModel {
  const { spec, inputShape } = input;
  if (inputShape.length !== 3) {
    throw new UserError(
      `member "${spec.name}" is a cnn but its rows have shape [${inputShape.join(', ')}]; ` +
        'set data.preprocess.image to { "height", "width", "channels" } or use an mlp',
    );
  }
  const seeds = seedStream(input.seed);
  const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape })] });

  let size = Math.min(inputShape[0], inputShape[1]);
  for (const filters of spec.filters) {
    addConv(model, spec, filters, seeds);
    if (size > 2) {
      model.add(tfl.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
      size = Math.floor(size / 2);
    }
  }
  model.add(tfl.layers.flatten());
  addDense(model, spec, spec.dense, seeds);
  addDropout(model, spec.dropout, seeds);
  addOutput(model, input, seeds);
  return model;
}

/** One dense layer: softmax regression for classes, linear regression for values. */
export function buildLinear(input: BuildInput): LayersModel {
  const model = startModel(input.inputShape);
  addOutput(model, input, seedStream(input.seed));
  return model;
}

/** An input layer, flattened when rows are images (dense layers want vectors). */
function startModel(inputShape: number[]): Sequential {
  const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape })] });
  if (inputShape.length > 1) model.add(tfl.layers.flatten());
  return model;
}

function addDense(model: Sequential, spec: MemberSpec, units: number, seeds: SeedStream): void {
  const kernel = { kernelInitializer: hiddenInitializer(spec, seeds()) };
  const kernelRegularizer = regularizer(spec);

  if (!spec.batchNorm) {
    model.add(
      tfl.layers.dense({ units, activation: spec.activation, ...kernel, kernelRegularizer }),
    );
    return;
  }
  model.add(tfl.layers.dense({ units, ...kernel, kernelRegularizer }));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.activation({ activation: spec.activation }));
}

function addConv(model: Sequential, spec: MemberSpec, filters: number, seeds: SeedStream): void {
  const args = {
    filters,
    kernelSize: spec.kernelSize,
    padding: 'same' as const,
    kernelInitializer: hiddenInitializer(spec, seeds()),
    kernelRegularizer: regularizer(spec),
  };

  if (!spec.batchNorm) {
    model.add(tfl.layers.conv2d({ ...args, activation: spec.activation }));
    return;
  }
  model.add(tfl.layers.conv2d(args));
  model.add(tfl.layers.batchNormalization());
  model.add(tfl.layers.activation({ activation: spec.activation }));
}

function addDropout(model: Sequential, rate: number, seeds: SeedStream): void {
  if (rate > 0) model.add(new SeededDropout({ rate, seed: seeds() }));
}

/** Softmax over the classes, or `outputUnits` linear values (1 for plain regression). */
function addOutput(model: Sequential, input: BuildInput, seeds: SeedStream): void {
  const classification = input.task === 'classification';
  model.add(
    tfl.layers.dense({
      units: input.outputUnits,
      activation: classification ? 'softmax' : 'linear',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seeds() }),
      kernelRegularizer: regularizer(input.spec),
    }),
  );
}

/** He initialization suits the rectifier family; Glorot suits tanh and sigmoid. */
function hiddenInitializer(spec: MemberSpec, seed: number): Initializer {
  const saturating = spec.activation === 'tanh' || spec.activation === 'sigmoid';
  return saturating
    ? tfl.initializers.glorotUniform({ seed })
    : tfl.initializers.heNormal({ seed });
}

function regularizer(spec: MemberSpec): Regularizer | undefined {
  if (spec.l1 <= 0 && spec.l2 <= 0) return undefined;
  return tfl.regularizers.l1l2({ l1: spec.l1, l2: spec.l2 });
}

/** Non-zero seeds (TF.js reads a 0 seed as "unseeded") drawn from the member's seed. */
function seedStream(seed: number): SeedStream {
  const rng = new Rng(seed);
  return () => rng.nextUint32() || 1;
}
