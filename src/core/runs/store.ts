import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { TrainerEvent } from '../../protocol/events';
import { UserError } from '../errors';
import { appendJsonLine, readJson, readJsonLines, writeJsonAtomic } from './files';
import type { MemberRecord, RunManifest, RunStatus } from './manifest';

export const STORE_FOLDER = '.ensemble-lab';

/**
 * The runs of one workspace, kept as plain files under `<root>/runs/<run-id>/`:
 * run.json (manifest), config.json (resolved config), events.jsonl, members/<name>/ and
 * report.json. Nothing here holds state in memory that the files do not also hold.
 */
export class RunStore {
  readonly runsDir: string;

  constructor(readonly root: string) {
    this.runsDir = join(root, 'runs');
  }

  /** The store of a workspace folder: `<folder>/.ensemble-lab`. */
  static forWorkspace(folder: string): RunStore {
    return new RunStore(join(folder, STORE_FOLDER));
  }

  async create(
    init: Omit<RunManifest, 'id' | 'status' | 'createdAt' | 'updatedAt' | 'pid' | 'host'>,
  ): Promise<Run> {
    await mkdir(this.runsDir, { recursive: true });
    const id = this.newId(init.configName);
    const now = new Date().toISOString();
    const manifest: RunManifest = {
      ...init,
      id,
      status: 'running',
      createdAt: now,
      updatedAt: now,
      pid: process.pid,
      host: hostname(),
    };

    const run = new Run(join(this.runsDir, id), manifest);
    await run.saveManifest();
    return run;
  }

  /** Every run, newest first, with dead `running` runs read as `interrupted`. */
  list(): RunManifest[] {
    if (!existsSync(this.runsDir)) return [];
    const manifests = readdirSync(this.runsDir)
      .map((id) => readJson<RunManifest>(join(this.runsDir, id, 'run.json')))
      .filter((m): m is RunManifest => m !== undefined)
      .map(withLiveStatus);
    return manifests.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Opens a run by its id or a unique prefix of it. */
  open(idOrPrefix: string): Run {
    const id = this.resolveId(idOrPrefix);
    const dir = join(this.runsDir, id);
    const manifest = readJson<RunManifest>(join(dir, 'run.json'));
    if (!manifest) throw new UserError(`run "${id}" has no run.json in ${dir}; it is damaged`);
    return new Run(dir, withLiveStatus(manifest));
  }

  async delete(idOrPrefix: string): Promise<string> {
    const run = this.open(idOrPrefix);
    if (run.manifest.status === 'running') {
      throw new UserError(`run "${run.id}" is still training; stop it before deleting it`);
    }
    await rm(run.dir, { recursive: true, force: true });
    return run.id;
  }

  private resolveId(idOrPrefix: string): string {
    const ids = existsSync(this.runsDir) ? readdirSync(this.runsDir) : [];
    if (ids.includes(idOrPrefix)) return idOrPrefix;
    const matches = ids.filter((id) => id.startsWith(idOrPrefix));
    if (matches.length === 1) return matches[0];
    if (matches.length > 1) {
      throw new UserError(`"${idOrPrefix}" matches ${matches.length} runs; give more of the id`);
    }
    throw new UserError(
      `no run "${idOrPrefix}" in ${this.runsDir}; run "ensemble-lab runs" to list the runs`,
    );
  }

  private newId(configName: string): string {
    return newFolderId(this.runsDir, configName);
  }
}

/**
 * A new folder name under `dir`: the time to the second, then the name made safe
 * (`20261204-031500-digits-sweep`), with `-2`, `-3`, ... when that is taken.
 */
export function newFolderId(dir: string, name: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const base = `${stamp}-${slug || 'run'}`;
  let id = base;
  for (let n = 2; existsSync(join(dir, id)); n++) id = `${base}-${n}`;
  return id;
}

/** One run's folder. */
export class Run {
  /** The last run.json write, which the next one waits for. */
  private saving: Promise<void> = Promise.resolve();

  constructor(
    readonly dir: string,
    public manifest: RunManifest,
  ) {}

  get id(): string {
    return this.manifest.id;
  }

  get eventsPath(): string {
    return join(this.dir, 'events.jsonl');
  }

  memberDir(member: string): string {
    return join(this.dir, 'members', member);
  }

  file(name: string): string {
    return join(this.dir, name);
  }

  appendEvent(event: TrainerEvent): void {
    appendJsonLine(this.eventsPath, event);
  }

  events(): TrainerEvent[] {
    return readJsonLines<TrainerEvent>(this.eventsPath);
  }

  readJson<T>(name: string): T | undefined {
    return readJson<T>(this.file(name));
  }

  async writeJson(name: string, value: unknown): Promise<void> {
    await writeJsonAtomic(this.file(name), value);
  }

  async update(patch: Partial<RunManifest>): Promise<void> {
    this.manifest = { ...this.manifest, ...patch, updatedAt: new Date().toISOString() };
    await this.saveManifest();
  }

  async updateMember(name: string, patch: Partial<MemberRecord>): Promise<void> {
    const members = this.manifest.members.map((m) => (m.name === name ? { ...m, ...patch } : m));
    await this.update({ members });
  }

  /**
   * Writes run.json. Writes go one after another, each with the manifest as it is when its
   * turn comes, so members finishing at once cannot leave an older manifest on disk.
   */
  async saveManifest(): Promise<void> {
    const write = this.saving.then(() => writeJsonAtomic(this.file('run.json'), this.manifest));
    this.saving = write.catch(() => undefined);
    await write;
  }

  /** Claims the run for this process, for a resume. */
  async claim(): Promise<void> {
    await this.update({ status: 'running', pid: process.pid, host: hostname(), error: undefined });
  }
}

/** A `running` manifest whose process is gone (on this host) reads as `interrupted`. */
export function withLiveStatus(manifest: RunManifest): RunManifest {
  if (manifest.status !== 'running') return manifest;
  if (manifest.host !== hostname()) return manifest;
  const status: RunStatus = isAlive(manifest.pid) ? 'running' : 'interrupted';
  return { ...manifest, status };
}

/** Whether a process of this host is still running. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
