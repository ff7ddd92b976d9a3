import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { HydrationMarker } from "@/components/ui/HydrationMarker";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Firstbyte — streamed bike catalog", template: "%s · Firstbyte" },
  description: "Next.js pages that stream DynamoDB scan pages from AWS Lambda through React Suspense.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request, even those without data (/, the not-found page): the CSP nonce
  // (proxy.ts) is new for each response, and a page prerendered at build time would carry none.
  await connection();
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            Firstbyte
          </Link>
          <nav>
            <Link href="/compare" prefetch={false}>
              Side by side
            </Link>
            <Link href="/bikes" prefetch={false}>
              Streamed
            </Link>
            <Link href="/bikes/buffered" prefetch={false}>
              Buffered
            </Link>
            <a href="/api/bikes">NDJSON API</a>
          </nav>
        </header>
        {children}
        <HydrationMarker />
      </body>
    </html>
  );
}
