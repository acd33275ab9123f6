import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Options of a {@link SeededDropout} layer. */
export interface SeededDropoutArgs {
  /** Fraction of the inputs zeroed while training. */
  rate: number;
  /** Seeds the sequence of masks; 0 is replaced by 1 (TF.js treats a 0 seed as "unseeded"). */
  seed: number;
  name?: string;
}

/**
 * Dropout whose masks are reproducible yet new on every training step. tfjs-layers' own
 * dropout either draws from Math.random (no seed) or, given a seed, draws the very same mask
 * on every call; this layer seeds each call with its seed mixed with a call counter.
 * At inference it passes its input through unchanged.
 */
export class SeededDropout extends tfl.layers.Layer {
  static className = 'EnsembleLabSeededDropout';

  /** Fraction of the inputs zeroed while training. */
  readonly rate: number;
  private readonly seed: number;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    this.rate = args.rate;
    this.seed = args.seed >>> 0 || 1;
    this.supportsMasking = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs['training'] !== true || this.rate <= 0) return x;

    const seed = mixSeed(this.seed, this.calls++);
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  /**
   * What the next training call would multiply its input by (kept inputs scaled by
   * 1 / (1 - rate), the others 0), drawn from the same seed sequence as `call`. The
   * written-out training step (dense-step.ts) keeps it for the backward pass.
   */
  trainingMultiplier(shape: number[]): tf.Tensor {
    const seed = mixSeed(this.seed, this.calls++);
    return tf.tidy(() => tf.dropout(tf.ones(shape), this.rate, undefined, seed));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(SeededDropout);

/** A non-zero 32-bit seed from a base seed and a step number. */
function mixSeed(seed: number, step: number): number {
  let z = (seed + Math.imul(step + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0 || 1;
}
