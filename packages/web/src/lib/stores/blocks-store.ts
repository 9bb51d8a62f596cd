/**
 * Everyone you block (docs/API.md, "Blocking"): the list Settings shows, and the ids the member
 * menu (Block or Unblock) and the history (a blocked user's messages folded away) follow. No
 * event announces a block, not even to your other devices, so the list is read each time the
 * session syncs, and changed here at once by what you do on this page.
 */
import type { Block, PneumaticClient, Session } from '@pneumatic/client';
import { Atom, type Readable } from './atom.js';

export type BlocksApi = Pick<PneumaticClient, 'listBlocks' | 'blockUser' | 'unblockUser'>;

export class BlocksStore {
  /** Null until read: Settings shows nothing rather than an empty list meanwhile. */
  private readonly blocks = new Atom<readonly Block[] | null>(null);
  private readonly ids = new Atom<ReadonlySet<string>>(new Set(), sameSet);

  constructor(private readonly api: () => BlocksApi) {}

  /** Most recent first, as the server lists them. */
  get list(): Readable<readonly Block[] | null> {
    return this.blocks;
  }

  /** The ids of the users you block; known ones only until the list is read. */
  get blockedIds(): Readable<ReadonlySet<string>> {
    return this.ids;
  }

  /** Reads the list as the session syncs (at start and after each reconnect); returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    const read = () => void this.refresh().catch(() => {});
    if (session.connectionState === 'live') read();
    return [
      session.on('state', ({ state }) => {
        if (state === 'live') read();
      }),
    ];
  }

  /** Reads the list again; a failure rejects and leaves what was known. */
  async refresh(): Promise<void> {
    this.set(await this.api().listBlocks());
  }

  /** Blocks them: their id at once, their entry (with its date) once the list is read again. */
  async block(userId: string): Promise<void> {
    await this.api().blockUser(userId);
    this.ids.set(new Set([...this.ids.get(), userId]));
    await this.refresh().catch(() => {});
  }

  /** Unblocks them: gone from the list and the ids at once. */
  async unblock(userId: string): Promise<void> {
    await this.api().unblockUser(userId);
    const blocks = this.blocks.get();
    if (blocks) this.set(blocks.filter((b) => b.user.id !== userId));
    else this.ids.set(new Set([...this.ids.get()].filter((id) => id !== userId)));
  }

  private set(blocks: readonly Block[]): void {
    this.blocks.set(blocks);
    this.ids.set(new Set(blocks.map((b) => b.user.id)));
  }
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((id) => b.has(id));
}
