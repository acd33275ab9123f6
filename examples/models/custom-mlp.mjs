// A custom member for Ensemble Lab: builds an MLP whose hidden widths and activation come from
// the member's "options". It uses the TensorFlow.js it is handed (`layers`), never its own copy.

/**
 * @param {{ inputShape: number[], outputUnits: number, task: 'classification' | 'regression',
 *   options: { units?: number[], activation?: string }, seed: number,
 *   layers: typeof import('@tensorflow/tfjs-layers') }} input
 */
export default function build({ inputShape, outputUnits, task, options, seed, layers }) {
  const units = options.units ?? [16];
  const model = layers.sequential();
  units.forEach((width, i) => {
    model.add(
      layers.layers.dense({
        units: width,
        activation: options.activation ?? 'relu',
        kernelInitializer: layers.initializers.glorotUniform({ seed: seed + i + 1 }),
        ...(i === 0 ? { inputShape } : {}),
      }),
    );
  });
  model.add(
    layers.layers.dense({
      units: outputUnits,
      activation: task === 'classification' ? 'softmax' : 'linear',
      kernelInitializer: layers.initializers.glorotUniform({ seed: seed + 100 }),
    }),
  );
  return model;
}
