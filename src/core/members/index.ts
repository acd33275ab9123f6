export { buildCnn, buildLinear, buildMlp } from './builders';
export { loadModel, saveModel } from './persist';
export { buildMember, parameterCount, registerMember } from './registry';
export { SeededDropout, type SeededDropoutArgs } from './seeded-dropout';
export type { BuildInput, MemberBuilder } from './types';
