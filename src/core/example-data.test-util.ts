// The bundled example data sets, found from this file so tests run from any clone.
import { resolve } from 'node:path';

/** `examples/data/` of this checkout: iris, wine, breast cancer, digits and diabetes as CSV. */
export const EXAMPLE_DATA = resolve(__dirname, '../../examples/data');
