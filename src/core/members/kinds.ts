import type { MemberSpec } from '../config/types';
import type { MemberKindModule } from './kind';
import { customKind } from './custom';
import { neuralKind } from './neural';
import { savedKind } from './saved';
import { forestKind, treeKind } from './tree';

const KINDS = new Map<string, MemberKindModule>([
  ['tree', treeKind],
  ['forest', forestKind],
  ['custom', customKind],
  ['saved', savedKind],
]);

/**
 * The module that fits and loads members of a kind. Kinds without their own module are
 * networks built by the member registry (mlp, cnn, linear and any registered builder).
 */
export function memberKind(kind: MemberSpec['model']): MemberKindModule {
  return KINDS.get(kind) ?? neuralKind;
}
