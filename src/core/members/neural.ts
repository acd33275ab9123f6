import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { SwaConfig } from '../config/types';
import type { Dataset } from '../data/types';
import {
  foldTargetScale,
  standardizeTarget,
  targetScale,
  type TargetScale,
} from '../training/target-scaling';
import { predictProba, trainModel } from '../training/train';
import type { FitInput, FitOutput, MemberKindModule, NetworkWeights, TrainedModel } from './kind';
import { loadModel, saveModel } from './persist';
import { buildFused } from './fused';
import { pruneByMagnitude } from './magnitude-pruning';
import { averageWeights } from './swa';
import { buildMember, parameterCount } from './registry';

/**
 * Networks (mlp, cnn, linear and registered builders): built by the member registry, trained
 * by the training loop with per-sample weights, saved in the TF.js layers format.
 */
export const neuralKind: MemberKindModule = {
  takesSampleWeights: true,
  fitsTargets: true,
  savedFile: 'model.json',
  fit: fitNetwork,
  load: async (dir) => wrapNetwork(await loadModel(dir)),
};

/** Wraps a TF.js model as a trained member; disposing it disposes the model. */
export function wrapNetwork(model: LayersModel): TrainedModel {
  return {
    predict: (data) => predictProba(model, data),
    save: (dir) => saveModel(model, dir),
    parameters: parameterCount(model),
    weights: () => weightsOf(model),
    dispose: () => model.dispose(),
  };
}

/** A copy of a model's weights (batch-norm statistics included) as plain numbers. */
export function weightsOf(model: LayersModel): NetworkWeights {
  return model
    .getWeights()
    .map((w) => ({ shape: [...w.shape], values: w.dataSync().slice() as Float32Array }));
}

/** Sets a model's weights from plain numbers; the shapes must be the model's own. */
export function setWeightsOf(model: LayersModel, weights: NetworkWeights, member: string): void {
  const current = model.getWeights();
  const fits =
    current.length === weights.length &&
    current.every((w, i) => w.shape.join('x') === weights[i].shape.join('x'));
  if (!fits) throw new Error(`member "${member}" cannot start from weights of another shape`);

  const tensors = weights.map((w) => tf.tensor(w.values, w.shape));
  model.setWeights(tensors);
  tensors.forEach((t) => t.dispose());
}

async function fitNetwork(input: FitInput): Promise<FitOutput> {
  const build = {
    spec: input.spec,
    inputShape: input.train.inputShape,
    outputUnits: outputUnitsOf(input),
    task: input.targets ? 'regression' : input.train.task,
    seed: input.seed,
  } as const;
  const model = input.branches ? buildFused(build, input.branches) : buildMember(build);

  try {
    if (input.initialWeights) setWeightsOf(model, input.initialWeights, input.spec.name);
    const result = await trainNetwork(model, input, {
      warmStart: input.initialWeights !== undefined,
    });
    if (input.spec.swa && !result.cancelled) await averageNetwork(model, input, input.spec.swa);
    if (!input.spec.prune || result.cancelled) return { model: wrapNetwork(model), result };

    const pruning = await pruneByMagnitude(
      model,
      input.spec.prune,
      input.validation,
      (epochs, after) =>
        trainOn(
          model,
          input,
          { epochs, learningRate: input.training.learningRate / 2 },
          { afterStep: after },
        ),
    );
    return { model: wrapNetwork(model), result, details: { pruning } };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Trains a built model in place, standardizing a plain regression target on the way. */
export async function trainNetwork(
  model: LayersModel,
  input: FitInput,
  {
    scaleTarget = true,
    warmStart = false,
    afterStep,
  }: {
    /** Train a regression network on the standardized target (off for a saved model). */
    scaleTarget?: boolean;
    /** The weights already predict in the target's units (a warm-started cycle). */
    warmStart?: boolean;
    afterStep?: () => void;
  } = {},
): Promise<FitOutput['result']> {
  const scale = plainRegressionScale(input, scaleTarget);
  // Warm-started weights predict in the target's units: unfold them to the standardized one.
  if (scale && warmStart)
    foldTargetScale(model, { mean: -scale.mean / scale.std, std: 1 / scale.std });

  const result = await trainModel({
    model,
    ...trainingRows(input, scale),
    config: input.training,
    task: input.targets ? 'regression' : input.train.task,
    rows: input.rows,
    sampleWeights: input.sampleWeights,
    targets: input.targets,
    seed: input.seed,
    logger: input.logger,
    shouldStop: input.shouldStop,
    onEpoch: input.onEpoch,
    afterStep,
  });

  if (scale && !result.cancelled && !foldTargetScale(model, scale))
    throw new Error(
      `member "${input.spec.name}" has no linear output layer to carry the target's scale`,
    );
  return result;
}

/** The target's scale when a plain regression network trains on the standardized target. */
function plainRegressionScale(input: FitInput, scaleTarget: boolean): TargetScale | undefined {
  const plain = input.train.task === 'regression' && !input.targets && scaleTarget;
  return plain ? targetScale(input.train, input.rows) : undefined;
}

/** The member's training and validation rows, their target standardized by `scale` if set. */
function trainingRows(
  input: FitInput,
  scale: TargetScale | undefined,
): { train: Dataset; validation?: Dataset } {
  const scaled = (ds: Dataset): Dataset => (scale ? standardizeTarget(ds, scale) : ds);
  const validation = input.validation?.rows && !input.targets ? input.validation : undefined;
  return { train: scaled(input.train), validation: validation ? scaled(validation) : undefined };
}

function outputUnitsOf(input: FitInput): number {
  if (input.targets) return input.targets.width;
  return input.train.task === 'classification' ? input.train.classes.length : 1;
}

/**
 * Trains a trained model on (weight averaging, pruning's fine-tune) for some epochs at a
 * constant rate, without early stopping, with hooks after each epoch or optimizer step.
 */
async function trainOn(
  model: LayersModel,
  input: FitInput,
  run: { epochs: number; learningRate: number },
  hooks: { onEpoch?: () => void; afterStep?: () => void },
): Promise<void> {
  const rest = { ...input.training };
  delete rest.earlyStopping;
  const training = { ...rest, ...run, schedule: { type: 'constant' as const } };
  const onEpoch = hooks.onEpoch ? () => hooks.onEpoch?.() : undefined;
  await trainNetwork(
    model,
    { ...input, training, onEpoch },
    {
      warmStart: true,
      afterStep: hooks.afterStep,
    },
  );
}

/**
 * Stochastic weight averaging of a trained network. A plain regression network averages
 * weights in the standardized target's units, so the target's scale is folded in again.
 */
async function averageNetwork(model: LayersModel, input: FitInput, swa: SwaConfig): Promise<void> {
  await averageWeights(
    model,
    swa,
    input.training.learningRate,
    input.train,
    (epochs, rate, after) =>
      trainOn(model, input, { epochs, learningRate: rate }, { onEpoch: after }),
  );
  if (input.train.task === 'regression' && !input.targets)
    foldTargetScale(model, targetScale(input.train, input.rows));
}
