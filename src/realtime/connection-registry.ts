import { CloseCode } from '@pneumatic/protocol';
import type { Connection } from './connection.js';

/** The connections this process holds, by user and by session. */
export class ConnectionRegistry {
  private readonly byUser = new Map<string, Set<Connection>>();
  private readonly bySession = new Map<string, Set<Connection>>();
  private readonly perIp = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private expirySweep: NodeJS.Timeout | undefined;
  /** The earliest session expiry among the connections (epoch ms): the sweep scans only once it has passed. */
  private earliestExpiry = Number.POSITIVE_INFINITY;

  constructor(
    private readonly onCountChange: (count: number) => void = () => {},
    /** Called when a user's last connection here closes. */
    private readonly onUserGone: (userId: string) => void = () => {},
  ) {}

  private count = 0;

  add(connection: Connection): void {
    const userConnections = this.byUser.get(connection.userId);
    if (userConnections) userConnections.add(connection);
    else this.byUser.set(connection.userId, new Set([connection]));
    addTo(this.bySession, connection.sessionId, connection);
    this.perIp.set(connection.ip, (this.perIp.get(connection.ip) ?? 0) + 1);
    this.earliestExpiry = Math.min(this.earliestExpiry, connection.sessionExpiresAt);
    this.onCountChange(++this.count);
  }

  remove(connection: Connection): void {
    const userConnections = this.byUser.get(connection.userId);
    if (!userConnections?.delete(connection)) return;
    if (userConnections.size === 0) {
      this.byUser.delete(connection.userId);
      this.onUserGone(connection.userId);
    }
    removeFrom(this.bySession, connection.sessionId, connection);
    const fromIp = (this.perIp.get(connection.ip) ?? 1) - 1;
    if (fromIp > 0) this.perIp.set(connection.ip, fromIp);
    else this.perIp.delete(connection.ip);
    this.onCountChange(--this.count);
  }

  forUser(userId: string): ReadonlySet<Connection> | undefined {
    return this.byUser.get(userId);
  }

  countForIp(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  forSession(sessionId: string): ReadonlySet<Connection> | undefined {
    return this.bySession.get(sessionId);
  }

  *all(): Iterable<Connection> {
    for (const set of this.byUser.values()) yield* set;
  }

  get size(): number {
    return this.count;
  }

  /** Pings every connection each interval and cuts those that did not answer the previous ping. */
  startHeartbeat(intervalMs: number): void {
    this.heartbeat = setInterval(() => {
      for (const connection of this.all()) {
        if (!connection.alive) {
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }, intervalMs);
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
  }

  /**
   * A socket lives no longer than its token: one shared timer (not one per socket, which would
   * cost memory on every idle connection) closes expired sessions' sockets with 4401, as logout
   * does. Each tick is a number compare; the connections are scanned only when one has expired.
   */
  startExpirySweep(intervalMs = 1000): void {
    this.expirySweep = setInterval(() => this.closeExpired(), intervalMs);
    this.expirySweep.unref();
  }

  stopExpirySweep(): void {
    clearInterval(this.expirySweep);
  }

  /** Closes every connection whose session has expired at `now`. */
  closeExpired(now = Date.now()): void {
    if (now < this.earliestExpiry) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const connection of [...this.all()]) {
      if (connection.sessionExpired(now)) connection.close(CloseCode.SESSION_REVOKED, 'session expired');
      else earliest = Math.min(earliest, connection.sessionExpiresAt);
    }
    this.earliestExpiry = earliest;
  }
}

function addTo(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = map.get(key);
  if (set) set.add(connection);
  else map.set(key, new Set([connection]));
}

function removeFrom(map: Map<string, Set<Connection>>, key: string, connection: Connection): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) map.delete(key);
}
