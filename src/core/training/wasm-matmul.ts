import * as tf from '@tensorflow/tfjs-core';

/** The attributes of a BatchMatMul kernel call. */
interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

let installed = false;

/**
 * Makes transposed products fast on the wasm backend. tfjs-backend-wasm 4.22 multiplies with
 * a transpose flag about ten times slower than it transposes explicitly and multiplies (see
 * FACTS.md: 22 ms against 2 ms for a 128x784 by 784x256 gradient), and the gradients of every
 * dense layer ask for exactly those products (dy·Wᵀ and xᵀ·dy). This wraps the wasm
 * BatchMatMul kernel: a call with a flag first transposes that operand with the Transpose
 * kernel, then multiplies without flags. The numbers are the same; only the order of work
 * changes. Call once, after the wasm backend is active.
 */
export function installWasmMatMul(): void {
  if (installed) return;
  const stock = tf.getKernel(tf.BatchMatMul, 'wasm');
  const transpose = tf.getKernel(tf.Transpose, 'wasm');
  if (!stock || !transpose) return;

  tf.unregisterKernel(tf.BatchMatMul, 'wasm');
  tf.registerKernel({
    kernelName: tf.BatchMatMul,
    backendName: 'wasm',
    kernelFunc: (call) => {
      const { transposeA, transposeB } = call.attrs as unknown as MatMulAttrs;
      if (!transposeA && !transposeB) return stock.kernelFunc(call);

      const { a, b } = call.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const flip = (x: tf.TensorInfo): tf.TensorInfo =>
        transpose.kernelFunc({
          ...call,
          inputs: { x },
          attrs: { perm: lastTwoSwapped(x) },
        }) as tf.TensorInfo;
      const left = transposeA ? flip(a) : a;
      const right = transposeB ? flip(b) : b;
      const attrs = { ...call.attrs, transposeA: false, transposeB: false };
      const out = stock.kernelFunc({ ...call, inputs: { a: left, b: right }, attrs });
      for (const temporary of [left, right].filter((t) => t !== a && t !== b))
        (call.backend as tf.KernelBackend).disposeData(temporary.dataId);
      return out;
    },
  });
  installed = true;
}

/** The permutation that swaps a tensor's last two axes, keeping any batch axes in place. */
function lastTwoSwapped(x: tf.TensorInfo): number[] {
  const rank = x.shape.length;
  const perm = Array.from({ length: rank }, (_, i) => i);
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return perm;
}
