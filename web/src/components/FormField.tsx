import { ApiError, messageOf } from '../api/graphql';

/** The API's refusal of a form, and which of its fields (by input name) is at fault. */
export interface Refusal {
  message: string;
  field?: string;
}

export const refusalOf = (error: unknown): Refusal =>
  error instanceof ApiError
    ? { message: error.message, field: error.field }
    : { message: messageOf(error) };

interface FieldProps {
  /** The API's name of the input field, as `extensions.field` names it when it refuses it. */
  field: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  refusal: Refusal | null;
  /** The id of the refusal's message, which a refused field points to. */
  errorId: string;
  hint?: string;
  type?: 'text' | 'number';
  placeholder?: string;
  required?: boolean;
  list?: string;
  mono?: boolean;
}

/** A labelled input that says when the API refused it. */
export function Field({
  field,
  label,
  value,
  onInput,
  refusal,
  errorId,
  hint,
  type = 'text',
  placeholder,
  required = false,
  list,
  mono = false,
}: FieldProps) {
  const refused = refusal?.field === field;
  return (
    <label class="field">
      <span>
        {label}
        {hint && <span class="muted"> ({hint})</span>}
      </span>
      <input
        name={field}
        type={type}
        step={type === 'number' ? 'any' : undefined}
        class={mono ? 'mono' : undefined}
        value={value}
        placeholder={placeholder}
        required={required}
        list={list}
        autoComplete="off"
        spellcheck={false}
        aria-invalid={refused ? 'true' : undefined}
        aria-describedby={refused ? errorId : undefined}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
    </label>
  );
}

export function RefusalMessage({ refusal, id }: { refusal: Refusal | null; id: string }) {
  return refusal ? (
    <p id={id} class="error" role="alert">
      {refusal.message}
    </p>
  ) : null;
}
