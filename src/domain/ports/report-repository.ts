import type { Report, ReportStatus } from '@pneumatic/protocol';

export interface ReportPosition {
  created_at: string;
  id: string;
}

/** Reports of messages (docs/API.md, "Reports"). */
export interface ReportRepository {
  /** Stores a new report; when the reporter reported this message before, that report instead (`created: false`). */
  create(report: Report): Promise<{ report: Report; created: boolean }>;
  findById(id: string): Promise<Report | null>;
  /** Reports of one status, oldest first, after `after`. */
  list(status: ReportStatus, after: ReportPosition | undefined, limit: number): Promise<Report[]>;
  /**
   * Closes an open report; null when there is none with this id, and the report unchanged when
   * it was closed already (whoever closed it first decided it).
   */
  close(id: string, status: 'resolved' | 'dismissed', note: string | null, by: string, at: string): Promise<{ report: Report; closed: boolean } | null>;
}
