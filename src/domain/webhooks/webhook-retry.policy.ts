/**
 * When a failed delivery is tried again, when one is given up, and when a webhook is disabled
 * (docs/API.md, "Outgoing webhooks"). Backoff doubles from `baseMs` up to `maxMs`, with full
 * jitter over its upper half (so receivers coming back are not hit by every lane at once).
 * A webhook that has not had one success for `disableAfterMs` is disabled: its owner sees
 * `enabled: false, disabled_reason: "failing"` and re-enables it when the receiver works. A head
 * event failing that long while other deliveries of the webhook succeed is given up (logged
 * `failed`), so one event the receiver always refuses does not hold its conversation forever.
 */
export interface WebhookRetrySettings {
  baseMs: number;
  maxMs: number;
  disableAfterMs: number;
}

/** Milliseconds before the next attempt after `failures` failed ones (1 after the first). */
export function retryDelayMs(failures: number, settings: WebhookRetrySettings, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(settings.maxMs, settings.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export interface FailureDecision {
  /** Null gives the head event up. */
  nextAttemptAt: number | null;
  disable: boolean;
}

/**
 * After a failed attempt at a lane's head: `webhookFailingSince` and `headFailingSince` are the
 * first failures (of the webhook since its last success, of this event), or null when this is it.
 */
export function afterFailure(
  now: number,
  failures: number,
  webhookFailingSince: number | null,
  headFailingSince: number | null,
  settings: WebhookRetrySettings,
  random: () => number = Math.random,
): FailureDecision {
  const disable = now - (webhookFailingSince ?? now) >= settings.disableAfterMs;
  if (disable) return { nextAttemptAt: now, disable };
  const giveUp = now - (headFailingSince ?? now) >= settings.disableAfterMs;
  return { nextAttemptAt: giveUp ? null : now + retryDelayMs(failures, settings, random), disable: false };
}
