"use client";
// One Scan page's rows, as one client component whose rows are one HTML string (decision 022).
// React hydrates an element with dangerouslySetInnerHTML without walking its children, so a page of
// 200 rows is one fiber to hydrate instead of ~2,600 (a row component, a next/link and 12 host
// elements each), and it crosses the RSC payload as one element with one array of plain cells.
// The rows need nothing of React: a row is text and a plain link to its bike's page.
import { escapeHtml } from "@/lib/escape-html";

/** A row's cells, formatted where the bike is read (`bikeRowCells` in BikeRows.tsx): id, name, type, frame, wheels, colour, year, weight, price, stock. */
export type BikeRowCells = [string, string, string, string, string, string, number, string, string, number];

/** The rows' markup; every text and attribute through the one escaper (lib/escape-html.ts). */
export function bikeRowsHtml(rows: readonly BikeRowCells[]): string {
  let html = "";
  for (const [id, name, type, frameSize, wheelSize, colour, year, weight, price, stock] of rows) {
    const cells = [type, frameSize, wheelSize, colour, String(year), weight].map(
      (text) => `<td>${escapeHtml(text)}</td>`,
    );
    html +=
      `<tr data-bike-id="${escapeHtml(id)}"><th scope="row"><a href="/bikes/${escapeHtml(encodeURIComponent(id))}">${escapeHtml(name)}</a></th>` +
      `${cells.join("")}<td class="num">${escapeHtml(price)}</td><td class="num">${stock}</td></tr>`;
  }
  return html;
}

/** One Scan page of rows: a <tbody> of its own, so each page streams as a unit. */
export function ScanPageRows({ rows, page }: { rows: readonly BikeRowCells[]; page?: number | undefined }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: every text is escaped by bikeRowsHtml; the point is that React does not hydrate the rows one by one (decision 022).
  return <tbody data-scan-page={page} dangerouslySetInnerHTML={{ __html: bikeRowsHtml(rows) }} />;
}
