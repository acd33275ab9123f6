import type { MemberSpec } from '../config/types';
import type { MemberKindModule } from './kind';
import { neuralKind } from './neural';
import { forestKind, treeKind } from './tree';

const KINDS = new Map<string, MemberKindModule>([
  ['tree', treeKind],
  ['forest', forestKind],
]);

/**
 * The module that fits and loads members of a kind. Kinds without their own module are
 * networks built by the member registry (mlp, cnn, linear and any registered builder).
 */
export function memberKind(kind: MemberSpec['model']): MemberKindModule {
  return KINDS.get(kind) ?? neuralKind;
}
