"use client";
import { useRouter } from "next/navigation";
import { startTransition } from "react";

/**
 * A failure the catalog's own error rows did not catch (they catch DynamoDB failures mid-stream):
 * the status is already sent, so say it here. "Try again" fetches the page anew from the server;
 * `reset` alone would only re-render what the browser already has.
 */
export default function CatalogError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  return (
    <main>
      <h1>Something went wrong</h1>
      <p className="error" role="alert">
        The catalog could not be read{error.digest ? ` (reference ${error.digest})` : ""}. The server log has the
        details.
      </p>
      <button
        type="button"
        onClick={() =>
          startTransition(() => {
            router.refresh();
            reset();
          })
        }
      >
        Try again
      </button>
    </main>
  );
}
