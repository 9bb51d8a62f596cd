/**
 * A button for something that cannot be taken back ("Revoke", "Delete", "Leave"): pressed, it
 * becomes a group that asks first, with "Yes, …" and Cancel. Focus moves to "Yes, …" when the
 * question appears, and back to the button when it is cancelled (Cancel or Escape; that Escape
 * closes only the question, not the panel around it). "Yes, …" stays busy until `onConfirm`
 * settles; what it did usually removes the whole item, and a refusal leaves the question open.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface ConfirmButtonProps {
  /** The button's text: "Revoke". */
  label: string;
  /** Its name for screen readers where the text alone repeats in a list: "Revoke the invite link made …". */
  ariaLabel?: string;
  /** Its classes; a small danger button when not given. */
  class?: string;
  disabled?: boolean;
  /** The question group's name for screen readers: "Confirm revoking this invite link". */
  groupLabel: string;
  /** The question: "Revoke this link? Nobody can sign up with it any more…". */
  children: ComponentChildren;
  /** The confirming button's text ("Yes, revoke"), and while its work runs ("Revoking…"). */
  yes: string;
  busy: string;
  onConfirm: () => Promise<unknown>;
}

export function ConfirmButton({ label, ariaLabel, class: className = 'button button--danger-ghost button--small', disabled = false, groupLabel, children, yes, busy: busyText, onConfirm }: ConfirmButtonProps) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  // Set by a cancel, so that focus goes back to the button that asked, not to the page.
  const cancelled = useRef(false);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
    else if (cancelled.current) trigger.current?.focus();
    cancelled.current = false;
  }, [confirming]);

  const cancel = () => {
    cancelled.current = true;
    setConfirming(false);
  };

  if (!confirming) {
    return (
      <button type="button" class={className} ref={trigger} disabled={disabled} aria-label={ariaLabel} onClick={() => setConfirming(true)}>
        {label}
      </button>
    );
  }
  return (
    <div
      class="settings__confirm confirm-button"
      role="group"
      aria-label={groupLabel}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || busy) return;
        e.stopPropagation();
        cancel();
      }}
    >
      <p>{children}</p>
      <div class="form__actions">
        <button
          type="button"
          class="button button--danger"
          ref={confirm}
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onConfirm().finally(() => setBusy(false));
          }}
        >
          {busy ? busyText : yes}
        </button>
        <button type="button" class="button button--ghost" disabled={busy} onClick={cancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
