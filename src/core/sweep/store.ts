import { existsSync, readdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors';
import { readJson, writeJsonAtomic } from '../runs/files';
import { isAlive, newFolderId } from '../runs/store';
import type { SweepManifest, TrialRecord } from './manifest';

export type { SweepManifest, SweepStatus, TrialRecord } from './manifest';

/** The sweeps of a workspace, under `<root>/sweeps/<sweep-id>/sweep.json`. */
export class SweepStore {
  readonly sweepsDir: string;

  constructor(readonly root: string) {
    this.sweepsDir = join(root, 'sweeps');
  }

  async create(
    init: Pick<SweepManifest, 'configName' | 'configPath' | 'configText' | 'sweep'>,
  ): Promise<Sweep> {
    await mkdir(this.sweepsDir, { recursive: true });
    const id = newFolderId(this.sweepsDir, init.configName);
    const now = new Date().toISOString();
    const manifest: SweepManifest = {
      ...init,
      id,
      objective: init.sweep.objective,
      status: 'running',
      createdAt: now,
      updatedAt: now,
      elapsedMs: 0,
      pid: process.pid,
      host: hostname(),
      trials: [],
    };
    const sweep = new Sweep(join(this.sweepsDir, id), manifest);
    await sweep.save();
    return sweep;
  }

  /** Every sweep, newest first. */
  list(): SweepManifest[] {
    if (!existsSync(this.sweepsDir)) return [];
    return readdirSync(this.sweepsDir)
      .map((id) => readJson<SweepManifest>(join(this.sweepsDir, id, 'sweep.json')))
      .filter((m): m is SweepManifest => m !== undefined)
      .map(withLiveStatus)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Opens a sweep by its id or a unique prefix of it. */
  open(idOrPrefix: string): Sweep {
    const ids = existsSync(this.sweepsDir) ? readdirSync(this.sweepsDir) : [];
    const matches = ids.includes(idOrPrefix)
      ? [idOrPrefix]
      : ids.filter((id) => id.startsWith(idOrPrefix));
    if (matches.length > 1) {
      throw new UserError(`"${idOrPrefix}" matches ${matches.length} sweeps; give more of the id`);
    }
    const dir = join(this.sweepsDir, matches[0] ?? idOrPrefix);
    const manifest =
      matches.length === 1 ? readJson<SweepManifest>(join(dir, 'sweep.json')) : undefined;
    if (!manifest) {
      throw new UserError(
        `no sweep "${idOrPrefix}" in ${this.sweepsDir}; run "ensemble-lab sweeps" to list them`,
      );
    }
    return new Sweep(dir, withLiveStatus(manifest));
  }
}

/**
 * One sweep's folder. Every change is written at once, so a killed sweep loses nothing. A
 * change is applied to `manifest` when it is made and the writes go out one after another,
 * each with the manifest as it is then: trials finishing together cannot leave an older
 * sweep.json on disk.
 */
export class Sweep {
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    public manifest: SweepManifest,
  ) {}

  get id(): string {
    return this.manifest.id;
  }

  /** Applies a change now; the promise settles once sweep.json holds it. */
  update(patch: Partial<SweepManifest>): Promise<void> {
    this.manifest = { ...this.manifest, ...patch, updatedAt: new Date().toISOString() };
    return this.save();
  }

  /** Adds a trial, or replaces the one with its number. */
  putTrial(trial: TrialRecord): Promise<void> {
    const others = this.manifest.trials.filter((t) => t.number !== trial.number);
    return this.update({ trials: [...others, trial].sort((a, b) => a.number - b.number) });
  }

  /** Writes the manifest after every write already queued; a failed write fails only its own. */
  save(): Promise<void> {
    const write = this.writing.then(() =>
      writeJsonAtomic(join(this.dir, 'sweep.json'), this.manifest),
    );
    this.writing = write.catch(() => undefined);
    return write;
  }
}

/** A `running` sweep whose process is gone (on this host) reads as `interrupted`. */
function withLiveStatus(manifest: SweepManifest): SweepManifest {
  if (manifest.status !== 'running' || manifest.host !== hostname()) return manifest;
  return isAlive(manifest.pid) ? manifest : { ...manifest, status: 'interrupted' };
}
