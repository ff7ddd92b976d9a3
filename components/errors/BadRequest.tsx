import type { ParamError } from "@/lib/params";

/** What a request got wrong, parameter by parameter. */
export function BadRequest({ errors }: { errors: ParamError[] }) {
  return (
    <main>
      <h1>400 — bad request</h1>
      <div className="error" role="alert">
        <ul>
          {errors.map((error) => (
            <li key={error.param + error.message} data-param={error.param}>
              <code>{error.param}</code>: {error.message}
            </li>
          ))}
        </ul>
      </div>
      <p>
        <a href="/bikes">Back to the catalog</a>
      </p>
    </main>
  );
}
