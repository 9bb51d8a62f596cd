/**
 * A retention period as a form (docs/API.md, "Retention"): none (server-wide: keep messages
 * forever; a conversation: follow the server's) or whole days, 1 to 36,500. Checked before it is
 * sent; a refusal shows under the days or the form. A period that deletes messages kept until now
 * (a first one, or a shorter one) is asked about first, with "Yes, save" taking focus.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, type FormErrors } from '../lib/errors.js';
import { RETENTION_DAYS_HINT, RETENTION_DAYS_MAX, parseRetentionDays, retentionDaysProblem, retentionShortens, shorterPeriodQuestion } from '../lib/retention-text.js';
import { FormError } from './form-error.js';

const NO_ERRORS: FormErrors = { fields: {}, form: null };

interface RetentionFormProps {
  /** Prefix of the form's element ids. */
  id: string;
  /** The choice's name: "Server-wide retention". */
  legend: string;
  /** The choice without a period: "Keep messages forever". */
  noneLabel: string;
  /** Where a shorter period deletes, for the question: "in every conversation". */
  where: string;
  /** The period now. */
  days: number | null;
  /** Saves; resolves to what the status line says, rejects with the server's refusal. */
  onSave: (days: number | null) => Promise<string>;
}

export function RetentionForm({ id, legend, noneLabel, where, days, onSave }: RetentionFormProps) {
  const [limited, setLimited] = useState(days !== null);
  const [text, setText] = useState(days === null ? '' : String(days));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [asking, setAsking] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const yes = useRef<HTMLButtonElement>(null);
  const save = useRef<HTMLButtonElement>(null);
  // Set as the question goes away (answered or cancelled): focus goes back to Save, not to the page.
  const backToSave = useRef(false);

  // The period changed (saved here, or elsewhere and read again): the form shows it.
  useEffect(() => {
    setLimited(days !== null);
    setText(days === null ? '' : String(days));
  }, [days]);
  useEffect(() => {
    if (asking !== null) yes.current?.focus();
    else if (backToSave.current) save.current?.focus();
    backToSave.current = false;
  }, [asking]);

  const send = async (next: number | null) => {
    setBusy(true);
    backToSave.current = asking !== null;
    setAsking(null);
    try {
      setNotice(await onSave(next));
    } catch (error) {
      const described = describeError(error, { message_retention_days: 'days', retention_days: 'days' });
      setErrors(described);
      if (described.fields.days) input.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setNotice('');
    setErrors(NO_ERRORS);
    const problem = limited ? retentionDaysProblem(text) : null;
    if (problem) {
      setErrors({ fields: { days: problem }, form: null });
      input.current?.focus();
      return;
    }
    const next = limited ? parseRetentionDays(text) : null;
    if (retentionShortens(days, next)) setAsking(next);
    else void send(next);
  };

  const cancel = () => {
    backToSave.current = true;
    setAsking(null);
  };

  const dayError = errors.fields.days;
  const describedBy = dayError ? `${id}-days-error` : `${id}-days-hint`;
  return (
    <form class="retention-form" aria-label={legend} onSubmit={submit} noValidate>
      <fieldset class="retention-form__choice" disabled={asking !== null}>
        <legend>{legend}</legend>
        <label class="retention-form__option">
          <input type="radio" name={`${id}-kind`} checked={!limited} onChange={() => setLimited(false)} /> {noneLabel}
        </label>
        <label class="retention-form__option">
          <input type="radio" name={`${id}-kind`} checked={limited} onChange={() => setLimited(true)} /> Delete messages older than a number of days
        </label>
        <div class={`field retention-form__days${dayError ? ' field--invalid' : ''}`}>
          <label for={`${id}-days`}>Days</label>
          <input
            id={`${id}-days`}
            ref={input}
            type="number"
            inputMode="numeric"
            min={1}
            max={RETENTION_DAYS_MAX}
            step={1}
            value={text}
            aria-invalid={dayError ? 'true' : undefined}
            aria-describedby={describedBy}
            onInput={(e) => {
              setText(e.currentTarget.value);
              setLimited(true);
            }}
          />
          {dayError ? (
            <p id={`${id}-days-error`} class="field__error">
              {dayError}
            </p>
          ) : (
            <p id={`${id}-days-hint`} class="field__hint">
              {RETENTION_DAYS_HINT}
            </p>
          )}
        </div>
      </fieldset>
      <FormError error={errors.form} />
      {asking !== null ? (
        <div
          class="settings__confirm retention-form__confirm"
          role="group"
          aria-label="Confirm the shorter retention period"
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            e.stopPropagation();
            cancel();
          }}
        >
          <p>{shorterPeriodQuestion(asking, where)}</p>
          <div class="form__actions">
            <button type="button" ref={yes} class="button button--danger button--small" onClick={() => void send(asking)}>
              Yes, save
            </button>
            <button type="button" class="button button--ghost button--small" onClick={cancel}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div class="form__actions">
          <button type="submit" ref={save} class="button button--small" aria-busy={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      )}
      <p class="members__notice" role="status">
        {notice}
      </p>
    </form>
  );
}
