// The messages between the trainer and its member workers (member-worker.ts), and the flags
// they share. Kept apart from the worker's own file, which runs its loop when it is loaded.
import type { BackendPreference } from '../core/backend';
import type { MemberKind } from '../core/config/types';
import type { SourcePosition } from '../core/errors';
import type { LogLevel } from '../core/log';
import type { FitInput, FitOutput } from '../core/members/kind';
import type { TrainResult } from '../core/training/types';

/** What every member worker starts with. */
export interface MemberWorkerData {
  backend: BackendPreference;
  /** How many of the pool's workers may compute at once, and their CoreShare's memory. */
  cores: number;
  share: SharedArrayBuffer;
  /** This worker's own ticket flag in the share, which the pool reads if the worker dies. */
  hold: SharedArrayBuffer;
}

/** What the main thread sends: one member to fit, without the callbacks a thread cannot share. */
export interface FitRequest {
  type: 'fit';
  id: number;
  kind: MemberKind;
  input: Omit<FitInput, 'logger' | 'shouldStop' | 'onEpoch'>;
  /** Where to save the fitted model, for the main thread to load. */
  saveTo: string;
  /**
   * Int32Array view: [0] cancel (set by the main thread), [1] stop after this epoch (its
   * answer to the last epoch), [2] answered (set by the main thread, cleared here).
   */
  flags: SharedArrayBuffer;
}

/** What the worker sends back. */
export type WorkerReply =
  | { type: 'epoch'; id: number; log: Parameters<NonNullable<FitInput['onEpoch']>>[0] }
  | { type: 'log'; id: number; level: LogLevel; message: string }
  | { type: 'done'; id: number; result: TrainResult; parameters: number; details?: FitDetails }
  /** `where` is set for an expected mistake (a UserError), so its place survives the trip. */
  | { type: 'error'; id: number; message: string; expected: boolean; where?: SourcePosition };

/** The three flags of a request. */
export const CANCEL = 0;
export const STOP = 1;
export const ANSWERED = 2;

/** What a fit adds to its member's report, as FitOutput has it. */
type FitDetails = FitOutput['details'];
