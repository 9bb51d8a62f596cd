/** A form's error, announced as it appears; nothing when there is none. */
export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p class="field__error" role="alert">
      {error}
    </p>
  ) : null;
}
