// Bundles the command-line tool, the trainer, the extension and the webview apps with esbuild.
// TensorFlow.js stays external: its backends find their own files (the .wasm binaries)
// relative to their packages, so they ship as node_modules. The extension bundle must never
// pull TensorFlow.js in: activation stays light, training happens in the trainer process.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

const node = {
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

const browser = {
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
};

const bundles = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js' },
  { ...node, entryPoints: ['src/trainer/main.ts'], outfile: 'dist/trainer.js' },
  { ...node, entryPoints: ['src/trainer/member-worker.ts'], outfile: 'dist/member-worker.js' },
  { ...node, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js' },
  {
    ...browser,
    entryPoints: ['webview/leaderboard/main.ts'],
    outfile: 'dist/webview/leaderboard.js',
  },
  { ...browser, entryPoints: ['webview/confusion/main.ts'], outfile: 'dist/webview/confusion.js' },
  { ...browser, entryPoints: ['webview/sweep/main.ts'], outfile: 'dist/webview/sweep.js' },
];

// The extension and the webviews are built once their sources exist.
await Promise.all(bundles.filter((b) => existsSync(b.entryPoints[0])).map((b) => build(b)));
