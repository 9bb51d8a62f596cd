/**
 * Files being attached in each composer (keyed as reply targets are: a conversation id, or a
 * thread root's id): each uploads as soon as it is chosen, with its progress, and can be
 * cancelled, retried after a failure, and finally taken by a send as upload ids. Files the server
 * would refuse for their size, or past the number a message may carry, are refused here first
 * (GET /limits), with a notice saying why.
 */
import type { PneumaticClient, Upload, UploadOptions } from '@pneumatic/client';
import { humanSize } from '../attachments.js';
import { errorText } from '../errors.js';
import { limits } from '../limits.js';
import { Atom, type Readable } from './atom.js';

export interface PendingUpload {
  /** Local id of this attempt list entry (not the server's). */
  readonly id: string;
  readonly name: string;
  readonly size: number;
  readonly status: 'uploading' | 'done' | 'failed';
  /** Bytes of the file sent so far. */
  readonly loaded: number;
  readonly error: string | null;
  /** Once done: the server's upload, whose id a send attaches. */
  readonly upload: Upload | null;
}

export interface ComposerUploads {
  readonly items: readonly PendingUpload[];
  /** Why files were just refused (too large, empty, too many), until the next change. */
  readonly notice: string | null;
}

type UploadFn = (file: File, options: UploadOptions) => Promise<Upload>;

const NONE: ComposerUploads = { items: [], notice: null };

export class PendingUploads {
  private readonly atoms = new Map<string, Atom<ComposerUploads>>();
  /** Per entry id: its file (for a retry) and how to cancel it. */
  private readonly running = new Map<string, { file: File; controller: AbortController | null }>();
  private nextId = 0;

  constructor(private readonly upload: UploadFn) {}

  static of(client: Pick<PneumaticClient, 'upload'>): PendingUploads {
    return new PendingUploads((file, options) => client.upload(file, options));
  }

  of(composerKey: string): Readable<ComposerUploads> {
    return this.atom(composerKey);
  }

  /** Starts uploading each file the limits allow; the others are named in the notice. */
  add(composerKey: string, files: readonly File[]): void {
    const { upload_max_bytes: maxBytes, attachments_max: maxFiles } = limits.get();
    const refused: string[] = [];
    let room = maxFiles - this.atom(composerKey).get().items.length;
    const accepted: File[] = [];
    for (const file of files) {
      if (file.size > maxBytes) refused.push(`“${file.name}” is ${humanSize(file.size)}: files can be at most ${humanSize(maxBytes)}.`);
      else if (file.size === 0) refused.push(`“${file.name}” is empty.`);
      else if (room <= 0) refused.push(`“${file.name}” was not added: a message can carry at most ${maxFiles} files.`);
      else {
        accepted.push(file);
        room--;
      }
    }
    const added = accepted.map((file): PendingUpload => ({ id: `u${++this.nextId}`, name: file.name || 'file', size: file.size, status: 'uploading', loaded: 0, error: null, upload: null }));
    this.update(composerKey, (state) => ({ items: [...state.items, ...added], notice: refused.length > 0 ? refused.join(' ') : null }));
    added.forEach((item, i) => this.start(composerKey, item.id, accepted[i]!));
  }

  /** Cancels a running upload, or forgets a finished or failed one. */
  remove(composerKey: string, id: string): void {
    const run = this.running.get(id);
    this.running.delete(id);
    run?.controller?.abort();
    this.update(composerKey, (state) => ({ items: state.items.filter((item) => item.id !== id), notice: null }));
  }

  /** Uploads a failed file again. */
  retry(composerKey: string, id: string): void {
    const run = this.running.get(id);
    if (!run) return;
    this.patch(composerKey, id, { status: 'uploading', loaded: 0, error: null });
    this.start(composerKey, id, run.file);
  }

  /** The finished uploads' ids, in the order chosen, removed from the composer (a send carries them). */
  take(composerKey: string): string[] {
    const done = this.atom(composerKey).get().items.filter((item) => item.status === 'done');
    for (const item of done) this.running.delete(item.id);
    this.update(composerKey, (state) => ({ items: state.items.filter((item) => item.status !== 'done'), notice: null }));
    return done.map((item) => item.upload!.id);
  }

  /** Cancels every upload still running (signing out). */
  stop(): void {
    for (const run of this.running.values()) run.controller?.abort();
    this.running.clear();
  }

  private start(composerKey: string, id: string, file: File): void {
    const controller = new AbortController();
    this.running.set(id, { file, controller });
    const current = () => this.running.get(id)?.controller === controller;
    this.upload(file, {
      signal: controller.signal,
      onProgress: ({ loaded }) => {
        if (current()) this.patch(composerKey, id, { loaded });
      },
    }).then(
      (upload) => {
        if (!current()) return;
        this.running.set(id, { file, controller: null });
        this.patch(composerKey, id, { status: 'done', loaded: file.size, upload });
      },
      (error: unknown) => {
        // Cancelled: already gone from the list.
        if (!current()) return;
        this.running.set(id, { file, controller: null });
        this.patch(composerKey, id, { status: 'failed', error: errorText(error) });
      },
    );
  }

  private patch(composerKey: string, id: string, change: Partial<PendingUpload>): void {
    this.update(composerKey, (state) => ({ ...state, items: state.items.map((item) => (item.id === id ? { ...item, ...change } : item)) }));
  }

  private update(composerKey: string, change: (state: ComposerUploads) => ComposerUploads): void {
    const atom = this.atom(composerKey);
    atom.set(change(atom.get()));
  }

  private atom(key: string): Atom<ComposerUploads> {
    let atom = this.atoms.get(key);
    if (!atom) this.atoms.set(key, (atom = new Atom<ComposerUploads>(NONE)));
    return atom;
  }
}
