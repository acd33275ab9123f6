import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { MemberSpec, Task } from '../config/types';

/** What a member builder needs to know to make an untrained model. */
export interface BuildInput {
  spec: MemberSpec;
  /** Shape of one input row: `[features]` or `[height, width, channels]`. */
  inputShape: number[];
  /** Number of classes for classification; 1 for regression, or the width of fitted targets. */
  outputUnits: number;
  task: Task;
  /** Seeds every initializer and dropout layer, so a member is reproducible. */
  seed: number;
}

/**
 * Builds an untrained TF.js model for one member kind. Classification models end in a softmax
 * over `outputUnits`; regression models in one linear unit. New member kinds plug in by
 * registering a builder; nothing else changes.
 */
export type MemberBuilder = (input: BuildInput) => LayersModel;
