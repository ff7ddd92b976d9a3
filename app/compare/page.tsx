import type { Metadata } from "next";
import { CompareView } from "@/components/compare/CompareView";

export const metadata: Metadata = { title: "Streamed and buffered, side by side" };

export default function ComparePage() {
  return (
    <main className="compare">
      <h1>Streamed and buffered, side by side</h1>
      <p className="lede">
        The same bikes, loaded at the same moment from <code>/bikes</code> (streamed) and <code>/bikes/buffered</code>{" "}
        (the whole scan first). The figures are what your browser measured on your network: response start and last byte
        from Navigation Timing, the first and the last row from the first frame in which each was on screen, total bytes
        as transferred. With few bikes the whole scan is one quick DynamoDB request and the buffered page can win: React
        holds streamed rows that miss the shell's first frame until 300 ms after it. The gap opens as the catalog grows.
      </p>
      <CompareView defaultSize={2000} />
    </main>
  );
}
