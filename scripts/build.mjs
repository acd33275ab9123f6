// Bundles the command-line tool and the trainer with esbuild. TensorFlow.js stays external:
// its backends find their own files (the .wasm binaries) relative to their packages.
import { build } from 'esbuild';

const shared = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  external: ['@tensorflow/*', 'vscode'],
  // jsonc-parser's default entry is a UMD build that esbuild cannot follow; its ESM build works.
  mainFields: ['module', 'main'],
  logLevel: 'warning',
};

await Promise.all([
  build({ ...shared, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' }),
  build({ ...shared, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js' }),
]);
