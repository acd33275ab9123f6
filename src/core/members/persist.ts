import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../errors';
// Registers the custom layers a saved member may contain, so loading can rebuild them.
import './seeded-dropout';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves a model in the TF.js layers format: `model.json` (topology and weight manifest) and
 * `weights.bin`. Each file is written under a temporary name and renamed, and the weights go
 * first, so a `model.json` on disk always has complete weights beside it.
 */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });

  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      await writeAtomically(path.join(dir, WEIGHTS_FILE), new Uint8Array(weights));
      await writeAtomically(path.join(dir, MODEL_FILE), JSON.stringify(modelJson(artifacts)));
      return { modelArtifactsInfo: artifactsInfo(artifacts, weights.byteLength) };
    }),
  );
}

/** Loads a model saved by {@link saveModel}; a missing or damaged one is a UserError. */
export async function loadModel(dir: string): Promise<LayersModel> {
  const modelPath = path.join(dir, MODEL_FILE);
  try {
    const json = JSON.parse(await readFile(modelPath, 'utf8')) as tf.io.ModelJSON;
    const bytes = await readFile(path.join(dir, WEIGHTS_FILE));
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const specs = tf.io.getWeightSpecs(json.weightsManifest);
    const artifacts = tf.io.getModelArtifactsForJSONSync(json, specs, weightData);
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new UserError(
      `cannot load the saved model in folder ${dir} (${reason}); train the member again`,
      { file: modelPath },
    );
  }
}

function modelJson(artifacts: tf.io.ModelArtifacts): tf.io.ModelJSON {
  return {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format ?? 'layers-model',
    generatedBy: artifacts.generatedBy ?? '',
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
  };
}

function artifactsInfo(
  artifacts: tf.io.ModelArtifacts,
  weightBytes: number,
): tf.io.ModelArtifactsInfo {
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: JSON.stringify(artifacts.modelTopology).length,
    weightSpecsBytes: JSON.stringify(artifacts.weightSpecs).length,
    weightDataBytes: weightBytes,
  };
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}
