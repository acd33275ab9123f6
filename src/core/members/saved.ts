import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UserError, type SourcePosition } from '../errors';
import { checkOutputs } from './custom';
import type { FitInput, FitOutput, MemberKindModule } from './kind';
import { neuralKind, trainNetwork, wrapNetwork } from './neural';

/**
 * A member read from a saved TF.js layers model (a model.json and the weight files its
 * manifest names), used frozen (`trainable: false`: it only predicts) or fine-tuned on this
 * run's rows. Its rows must have the shape the model was saved for.
 */
export const savedKind: MemberKindModule = {
  takesSampleWeights: true,
  fitsTargets: false,
  savedFile: 'model.json',
  fit: fitSaved,
  load: neuralKind.load,
};

async function fitSaved(input: FitInput): Promise<FitOutput> {
  const where = input.positions?.path;
  const model = await readLayersModel(input.spec.path ?? '', input.spec.name, where);
  try {
    checkOutputs(model, input, where);
    model.trainable = input.spec.trainable;
    const result = input.spec.trainable
      ? await trainNetwork(model, input, { scaleTarget: false })
      : frozenResult();
    return { model: wrapNetwork(model), result };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** A frozen member trains no epoch. */
function frozenResult(): FitOutput['result'] {
  return {
    history: [],
    bestEpoch: 0,
    epochsRun: 0,
    stoppedEarly: false,
    stopRequested: false,
    cancelled: false,
    fitMs: 0,
  };
}

/** Reads model.json and the weight files its manifest lists (paths relative to it). */
export async function readLayersModel(
  file: string,
  member: string,
  where: SourcePosition | undefined,
): Promise<LayersModel> {
  try {
    const json = JSON.parse(await readFile(file, 'utf8')) as tf.io.ModelJSON;
    const paths = json.weightsManifest.flatMap((group) => group.paths);
    const parts = await Promise.all(paths.map((p) => readFile(join(dirname(file), p))));
    const weightData = tf.io.concatenateArrayBuffers(
      parts.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)),
    );
    const specs = tf.io.getWeightSpecs(json.weightsManifest);
    const artifacts = tf.io.getModelArtifactsForJSONSync(json, specs, weightData);
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(
      `cannot read the saved model "${file}" of member "${member}" (${reason}); ` +
        'give the path of a TF.js layers model.json with its weight files beside it',
      where,
    );
  }
}
