import * as tf from '@tensorflow/tfjs-core';

/** The attributes of a Conv2D kernel call that the filter gradient depends on. */
interface Conv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | unknown;
  dilations: number | [number, number];
  dataFormat: 'NHWC' | 'NCHW';
}

let installed = false;

/**
 * Makes conv2d trainable on the wasm backend. tfjs-backend-wasm 4.22 has no
 * Conv2DBackpropFilter kernel, so the stock gradient of Conv2D fails there. This replaces the
 * gradient with one that, on wasm with stride 1 and NHWC data (what `cnn` members use),
 * computes the filter gradient as a forward convolution of the transposed input with the
 * transposed output gradient; every other case goes to the stock gradient unchanged.
 */
export function installWasmConvGradient(): void {
  if (installed) return;
  const stock = tf.getGradient(tf.Conv2D);
  if (!stock) return;

  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const grads = stock.gradFunc(dy, saved, attrs);
      const padding = strideOnePadding(attrs as unknown as Conv2DAttrs, saved[1].shape);
      if (tf.getBackend() !== 'wasm' || padding === undefined) return grads;

      const x = saved[0] as tf.Tensor4D;
      return { ...grads, filter: () => filterGradient(x, dy as tf.Tensor4D, padding) };
    },
  });
  installed = true;
}

type Padding = [[number, number], [number, number]];

/** Rows and columns of zeros around the input, or undefined for cases left to the stock code. */
function strideOnePadding(attrs: Conv2DAttrs, filterShape: number[]): Padding | undefined {
  const ones = (value: number | [number, number]): boolean =>
    Array.isArray(value) ? value.every((v) => v === 1) : value === 1;
  if (!ones(attrs.strides) || !ones(attrs.dilations) || attrs.dataFormat !== 'NHWC') {
    return undefined;
  }
  const [kh, kw] = filterShape;
  if (attrs.pad === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (typeof attrs.pad === 'number')
    return [
      [attrs.pad, attrs.pad],
      [attrs.pad, attrs.pad],
    ];
  // 'same' at stride 1 pads k - 1 in all, the smaller half before (TensorFlow's convention).
  if (attrs.pad === 'same') return [split(kh - 1), split(kw - 1)];
  return undefined;
}

function split(total: number): [number, number] {
  const before = Math.floor(total / 2);
  return [before, total - before];
}

/**
 * dW[i, j, c, f] = sum over n, h, w of xPadded[n, h + i, w + j, c] * dy[n, h, w, f]: a valid
 * convolution of xPadded seen as [C, H, W, N] with dy seen as a [H, W, N, F] filter.
 */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, padding: Padding): tf.Tensor4D {
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], padding[0], padding[1], [0, 0]]);
    const input = tf.transpose(padded, [3, 1, 2, 0]);
    const kernel = tf.transpose(dy, [1, 2, 0, 3]);
    const out = tf.conv2d(input, kernel, 1, 'valid');
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}
