import type { Dialect } from '../dialect.js';

/** Column types that differ between the dialects; migrations otherwise share one definition. */
export interface ColumnTypes {
  id: 'uuid' | 'text';
  timestamp: 'timestamptz' | 'text';
}

export function columnTypes(dialect: Dialect): ColumnTypes {
  return dialect === 'postgres' ? { id: 'uuid', timestamp: 'timestamptz' } : { id: 'text', timestamp: 'text' };
}
