/** The config layer: parse, validate and resolve `*.ensemble.json` files. */
export { checkTaskCompatibility, configHash, loadConfig, parseConfigText } from './load';
export type { ConfigProblem } from './problems';
export { canonicalJson } from './hash';
export { experimentName } from './resolve';
export * from './defaults';
export type * from './types';
