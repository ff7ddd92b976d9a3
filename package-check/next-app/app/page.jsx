// One page, one Suspense boundary: the shell and the fallback are sent at once, the boundary's
// content only once GATE_URL (the test's gate) answers.
import { Suspense } from "react";

export const dynamic = "force-dynamic";

async function Late() {
  await fetch(process.env.GATE_URL, { cache: "no-store" });
  return <p id="late">late</p>;
}

export default function Page() {
  return (
    <main>
      <h1 id="shell">shell</h1>
      <Suspense fallback={<p id="waiting">waiting</p>}>
        <Late />
      </Suspense>
    </main>
  );
}
