/**
 * What this device tells the server it is doing (`session.setActivity`): `viewing` is the open
 * conversation while the page is visible and focused (the server sends no push for it), null
 * otherwise; `state` is idle while the page is hidden, active when it is shown and again on user
 * input, at most once per {@link ACTIVE_REPEAT_MS} while nothing else changes (input is
 * frequent; the server only needs to know the user is still there).
 */
import type { Activity } from './notifications-api.js';

export const ACTIVE_REPEAT_MS = 30_000;

export interface PageSignals {
  visible: boolean;
  focused: boolean;
  conversationId: string | null;
}

const sameActivity = (a: Activity | null, b: Activity) => a !== null && a.state === b.state && a.viewing === b.viewing;

export class ActivityTracker {
  private signals: PageSignals = { visible: true, focused: true, conversationId: null };
  private sent: Activity | null = null;
  private sentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly send: (activity: Activity) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /** The activity the signals call for. */
  get activity(): Activity {
    const { visible, focused, conversationId } = this.signals;
    return { state: visible ? 'active' : 'idle', viewing: visible && focused ? conversationId : null };
  }

  /** The page's visibility or focus, or the open conversation, changed: sent at once if that changes the activity. */
  update(signals: Partial<PageSignals>): void {
    this.signals = { ...this.signals, ...signals };
    if (!sameActivity(this.sent, this.activity)) this.push();
  }

  /** The user did something: says "active" again unless that was said less than 30 s ago. */
  input(): void {
    if (this.signals.visible && this.now() - this.sentAt >= ACTIVE_REPEAT_MS) this.push();
  }

  /** A new connection: the server knows nothing of this device yet. */
  resend(): void {
    this.sent = null;
    this.push();
  }

  private push(): void {
    const activity = this.activity;
    // Not sent (no session yet): try again on the next change or `resend`.
    if (!this.send(activity)) return;
    this.sent = activity;
    this.sentAt = this.now();
  }
}

const INPUT_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Feeds the tracker from the page: visibility, focus and input. Returns a function that stops it. */
export function trackPageActivity(tracker: ActivityTracker, win: Window = window): () => void {
  const doc = win.document;
  const signals = () => tracker.update({ visible: doc.visibilityState === 'visible', focused: doc.hasFocus() });
  const input = () => tracker.input();
  signals();
  doc.addEventListener('visibilitychange', signals);
  win.addEventListener('focus', signals);
  win.addEventListener('blur', signals);
  for (const type of INPUT_EVENTS) win.addEventListener(type, input, { passive: true, capture: true });
  return () => {
    doc.removeEventListener('visibilitychange', signals);
    win.removeEventListener('focus', signals);
    win.removeEventListener('blur', signals);
    for (const type of INPUT_EVENTS) win.removeEventListener(type, input, { capture: true });
  };
}
