import Link from "next/link";

export default function NotFound() {
  return (
    <main>
      <h1>404 — not found</h1>
      <p className="error" role="alert">
        There is no such page or bike here.
      </p>
      <p>
        <Link href="/bikes" prefetch={false}>
          Browse the catalog
        </Link>
      </p>
    </main>
  );
}
