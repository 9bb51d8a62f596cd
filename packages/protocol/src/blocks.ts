import { Type, type Static } from 'typebox';
import { Timestamp, User } from './models.js';

/** How many users one user may block (docs/API.md, "Blocking"). */
export const BLOCKS_MAX = 1000;

/** One user the caller blocked, and since when. */
export const Block = Type.Object({ user: User, created_at: Timestamp }, { title: 'Block' });
export type Block = Static<typeof Block>;

/** GET /users/me/blocks: everyone the caller blocked, most recent first. */
export const BlockList = Type.Object({ blocks: Type.Array(Block) }, { title: 'BlockList' });
export type BlockList = Static<typeof BlockList>;
