"use client";

/** A failure after the shell was sent (DynamoDB unreachable mid-scan, say): the status is already 200, so say it here. */
export default function CatalogError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main>
      <h1>Something went wrong</h1>
      <p className="error" role="alert">
        The catalog could not be read{error.digest ? ` (reference ${error.digest})` : ""}. The server log has the
        details.
      </p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </main>
  );
}
