/** What the domain reports for /metrics, without knowing about Prometheus. */
export interface DomainMetrics {
  messageStored(): void;
}

export const noMetrics: DomainMetrics = { messageStored: () => {} };
