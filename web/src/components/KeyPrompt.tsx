import { useState } from 'preact/hooks';
import { setApiKey } from '../api/session';
import { start } from '../state/sync';

/** Shown when the service has API keys and this tab has none, or a refused one. */
export function KeyPrompt({ refused }: { refused?: string }) {
  const [key, setKey] = useState('');
  return (
    <form
      class="key-prompt"
      aria-labelledby="key-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setApiKey(key.trim());
        void start();
      }}
    >
      <h2 id="key-heading">Sign in with an API key</h2>
      <p>
        This service asks for an API key. It is kept in this tab only (sessionStorage) and sent with
        every request and on the live connection.
      </p>
      {refused && (
        <p class="error" role="alert">
          The key was refused: {refused}
        </p>
      )}
      <label>
        API key
        <input
          type="password"
          autoComplete="current-password"
          required
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
        />
      </label>
      <button type="submit">Sign in</button>
    </form>
  );
}
