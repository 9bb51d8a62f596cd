/** A labelled input with its hint and error wired for assistive technology. */
import type { Ref, TargetedEvent } from 'preact';

interface FieldProps {
  id: string;
  label: string;
  value: string;
  onInput: (event: TargetedEvent<HTMLInputElement>) => void;
  ref?: Ref<HTMLInputElement>;
  type?: 'text' | 'password';
  autocomplete?: 'username' | 'current-password' | 'new-password' | 'nickname' | 'off';
  autocapitalize?: 'none' | 'off';
  spellcheck?: boolean;
  /** Announced as required; the form checks it itself (its forms are `noValidate`). */
  required?: boolean;
  maxLength?: number;
  placeholder?: string;
  hint?: string | null;
  error?: string | null;
}

export function Field({ id, label, hint, error, type, ...input }: FieldProps) {
  const describedBy = [error ? `${id}-error` : null, hint && !error ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`field${error ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      {type === 'password' ? (
        <input id={id} type="password" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} {...input} />
      ) : (
        <input id={id} type="text" aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy} {...input} />
      )}
      {hint && !error ? (
        <p id={`${id}-hint`} class="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field__error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A form-level error (not tied to one field), announced to screen readers when it appears. */
export function FormError({ message }: { message: string | undefined | null }) {
  return message ? (
    <p class="form-error" role="alert">
      {message}
    </p>
  ) : null;
}
