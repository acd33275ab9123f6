import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Dataset } from '../data/types';
import { foldTargetScale, standardizeTarget, targetScale } from '../training/target-scaling';
import { predictProba, trainModel } from '../training/train';
import type { FitInput, FitOutput, MemberKindModule, TrainedModel } from './kind';
import { loadModel, saveModel } from './persist';
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
    dispose: () => model.dispose(),
  };
}

async function fitNetwork(input: FitInput): Promise<FitOutput> {
  const model = buildMember({
    spec: input.spec,
    inputShape: input.train.inputShape,
    outputUnits: outputUnitsOf(input),
    task: input.targets ? 'regression' : input.train.task,
    seed: input.seed,
  });

  try {
    return { model: wrapNetwork(model), result: await trainNetwork(model, input) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Trains a built model in place, standardizing a plain regression target on the way. */
export async function trainNetwork(
  model: LayersModel,
  input: FitInput,
  { scaleTarget = true }: { scaleTarget?: boolean } = {},
): Promise<FitOutput['result']> {
  const plainRegression = input.train.task === 'regression' && !input.targets && scaleTarget;
  const scale = plainRegression ? targetScale(input.train, input.rows) : undefined;
  const scaled = (ds: Dataset): Dataset => (scale ? standardizeTarget(ds, scale) : ds);
  const validation = input.validation?.rows && !input.targets ? input.validation : undefined;

  const result = await trainModel({
    model,
    train: scaled(input.train),
    validation: validation ? scaled(validation) : undefined,
    config: input.training,
    task: input.targets ? 'regression' : input.train.task,
    rows: input.rows,
    sampleWeights: input.sampleWeights,
    targets: input.targets,
    seed: input.seed,
    logger: input.logger,
    shouldStop: input.shouldStop,
    onEpoch: input.onEpoch,
  });

  if (scale && !result.cancelled && !foldTargetScale(model, scale))
    throw new Error(
      `member "${input.spec.name}" has no linear output layer to carry the target's scale`,
    );
  return result;
}

function outputUnitsOf(input: FitInput): number {
  if (input.targets) return input.targets.width;
  return input.train.task === 'classification' ? input.train.classes.length : 1;
}
