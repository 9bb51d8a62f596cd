/**
 * Wraps a Kysely dialect so that every query on it reports its outcome to the storage health
 * tracker: failures of any statement, connection or transaction, and writes that committed
 * (a write outside a transaction, or a COMMIT). Both dialects, every repository, one place.
 */
import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import type { StorageOutcomes } from './storage-health.js';

const WRITES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode']);

export class HealthTrackingDialect implements Dialect {
  constructor(
    private readonly inner: Dialect,
    private readonly outcomes: StorageOutcomes,
  ) {}

  createDriver(): Driver {
    return new HealthTrackingDriver(this.inner.createDriver(), this.outcomes);
  }

  createQueryCompiler(): QueryCompiler {
    return this.inner.createQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return this.inner.createAdapter();
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kysely's own signature
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return this.inner.createIntrospector(db);
  }
}

class TrackedConnection implements DatabaseConnection {
  /** Between BEGIN and COMMIT/ROLLBACK a write is not yet stored; the COMMIT says whether it was. */
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly outcomes: StorageOutcomes,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      const result = await this.inner.executeQuery<R>(query);
      if (!this.inTransaction && WRITES.has(query.query.kind)) this.outcomes.succeeded();
      return result;
    } catch (error) {
      this.outcomes.failed(error);
      throw error;
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

type SavepointMethod = 'savepoint' | 'rollbackToSavepoint' | 'releaseSavepoint';

class HealthTrackingDriver implements Driver {
  /** One wrapper per driver connection: Kysely hands the same connection back to begin/commit/release. */
  private readonly wrappers = new WeakMap<DatabaseConnection, TrackedConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly outcomes: StorageOutcomes,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.track(() => this.inner.acquireConnection());
    let wrapper = this.wrappers.get(connection);
    if (!wrapper) {
      wrapper = new TrackedConnection(connection, this.outcomes);
      this.wrappers.set(connection, wrapper);
    }
    return wrapper;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const tracked = connection as TrackedConnection;
    await this.track(() => this.inner.beginTransaction(tracked.inner, settings));
    tracked.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const tracked = connection as TrackedConnection;
    try {
      await this.track(() => this.inner.commitTransaction(tracked.inner));
      this.outcomes.succeeded();
    } finally {
      tracked.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const tracked = connection as TrackedConnection;
    try {
      await this.track(() => this.inner.rollbackTransaction(tracked.inner));
    } finally {
      tracked.inTransaction = false;
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.savepointCall('savepoint', connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.savepointCall('rollbackToSavepoint', connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.savepointCall('releaseSavepoint', connection, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection((connection as TrackedConnection).inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private savepointCall(method: SavepointMethod, connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    const call = this.inner[method];
    if (!call) return Promise.reject(new Error(`The driver does not support ${method}`));
    return this.track(() => call.call(this.inner, (connection as TrackedConnection).inner, name, compile));
  }

  private async track<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.outcomes.failed(error);
      throw error;
    }
  }
}
