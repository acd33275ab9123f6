import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MemberSpec, Task } from '../config/types';
import type { SourcePosition } from '../errors';
import { UserError } from '../errors';
import type { FitInput, FitOutput, MemberKindModule } from './kind';
import { neuralKind, trainNetwork, wrapNetwork } from './neural';

/**
 * What a custom member module's build function is given. TensorFlow.js comes with it: a
 * module that imported its own copy would make tensors that this copy's backend cannot run.
 */
export interface CustomBuildInput {
  /** Shape of one input row: `[features]` or `[height, width, channels]`. */
  inputShape: number[];
  /** Classes for classification (end in a softmax over them), 1 for regression. */
  outputUnits: number;
  task: Task;
  /** The member's `options` from the config, as written. */
  options: Record<string, unknown>;
  /** Seeds initializers, so the member is reproducible. */
  seed: number;
  /** `@tensorflow/tfjs-layers`, the copy the trainer runs. */
  layers: typeof tfl;
  /** `@tensorflow/tfjs-core`, the copy the trainer runs. */
  tf: typeof tf;
}

/**
 * A member whose network a module in the workspace builds: its default export (or export
 * `build`) takes a {@link CustomBuildInput} and returns an untrained tf.LayersModel. It
 * trains like any network; it is saved and loaded in the TF.js format.
 */
export const customKind: MemberKindModule = {
  takesSampleWeights: true,
  fitsTargets: false,
  savedFile: 'model.json',
  fit: fitCustom,
  load: neuralKind.load,
};

async function fitCustom(input: FitInput): Promise<FitOutput> {
  const model = await buildCustom(input);
  try {
    checkOutputs(model, input, input.positions?.module);
    return { model: wrapNetwork(model), result: await trainNetwork(model, input) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function buildCustom(input: FitInput): Promise<LayersModel> {
  const { spec } = input;
  const where = input.positions?.module;
  const build = await loadBuild(spec, where);
  const model = await callBuild(build, buildInput(input), spec.name, where);

  if (!(model instanceof tfl.LayersModel)) {
    throw new UserError(
      `the module of member "${spec.name}" returned ${describe(model)} instead of a TF.js model; ` +
        'return the model built with the `layers` it is given (a tf.LayersModel)',
      where,
    );
  }
  return model;
}

function buildInput(input: FitInput): CustomBuildInput {
  const { train } = input;
  return {
    inputShape: train.inputShape,
    outputUnits: train.task === 'classification' ? train.classes.length : 1,
    task: train.task,
    options: input.spec.options,
    seed: input.seed,
    layers: tfl,
    tf,
  };
}

/** Calls the module's build function; what it throws becomes an error at its `module`. */
async function callBuild(
  build: Build,
  args: CustomBuildInput,
  member: string,
  where: SourcePosition | undefined,
): Promise<unknown> {
  try {
    return await build(args);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      `the module of member "${member}" threw "${reason}" while building its model; fix the module`,
      where,
    );
  }
}

type Build = (input: CustomBuildInput) => unknown;

/** The module's build function; `.ts` modules are compiled with esbuild when it can be found. */
async function loadBuild(spec: MemberSpec, where: SourcePosition | undefined): Promise<Build> {
  const file = spec.module ?? '';
  if (!existsSync(file))
    throw new UserError(
      `the module "${file}" of member "${spec.name}" does not exist; check its path`,
      where,
    );

  const url =
    extname(file) === '.ts' ? await compiledUrl(file, spec, where) : pathToFileURL(file).href;
  const loaded = (await import(url)) as { default?: unknown; build?: unknown };
  const build = typeof loaded.build === 'function' ? loaded.build : loaded.default;
  if (typeof build !== 'function') {
    throw new UserError(
      `the module of member "${spec.name}" exports no build function; ` +
        'export default (or export "build") a function that returns a model',
      where,
    );
  }
  return build as Build;
}

/** A TypeScript module compiled on its own into a data: URL (so it cannot import local files). */
async function compiledUrl(
  file: string,
  spec: MemberSpec,
  where: SourcePosition | undefined,
): Promise<string> {
  const esbuild = findEsbuild(file);
  if (!esbuild) {
    throw new UserError(
      `member "${spec.name}" is a TypeScript module and no esbuild was found to compile it; ` +
        'run "npm install --save-dev esbuild" in the workspace or write the module as .mjs',
      where,
    );
  }
  const { code } = await esbuild.transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
  });
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}

interface Esbuild {
  transform(code: string, options: { loader: 'ts'; format: 'esm' }): Promise<{ code: string }>;
}

/** esbuild from the module's own workspace, else from Ensemble Lab's own dependencies. */
function findEsbuild(file: string): Esbuild | undefined {
  for (const from of [file, __filename]) {
    try {
      return createRequire(from)('esbuild') as Esbuild;
    } catch {
      // Not installed there; try the next place.
    }
  }
  return undefined;
}

/** The model must give one output per class (or one value) for each row. */
export function checkOutputs(
  model: LayersModel,
  input: FitInput,
  where: SourcePosition | undefined,
): void {
  const expected = input.train.task === 'classification' ? input.train.classes.length : 1;
  const shape = model.outputs[0].shape;
  const actualInput = model.inputs[0].shape.slice(1);
  if (actualInput.join() !== input.train.inputShape.join()) {
    throw new UserError(
      `the model of member "${input.spec.name}" takes rows of shape [${actualInput.join(', ')}] ` +
        `but the data has rows of shape [${input.train.inputShape.join(', ')}]; ` +
        'use a model made for these features',
      where,
    );
  }
  if (shape.length !== 2 || shape[1] !== expected) {
    throw new UserError(
      `the model of member "${input.spec.name}" gives outputs of shape [${shape.slice(1).join(', ')}] ` +
        `but the task needs [${expected}]; end it in a dense layer of ${expected} units` +
        (input.train.task === 'classification' ? ' with a softmax' : ''),
      where,
    );
  }
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return 'nothing';
  return `a ${typeof value}`;
}
