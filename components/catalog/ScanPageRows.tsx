"use client";
// One Scan page's rows, as one client component whose rows are one HTML string (decision 022).
// React hydrates an element with dangerouslySetInnerHTML without walking its children, so a page of
// 200 rows is one fiber to hydrate instead of ~2,600 (a row component, a next/link and 12 host
// elements each), and it crosses the RSC payload as one element with one array of plain cells.
// The rows need nothing of React: a row is text and a plain link to its bike's page.
import { escapeHtml } from "@/lib/escape-html";

/** A cell's value, or null where the item's field was missing or malformed (shown as a dash). */
type Cell<T = string> = T | null;

/**
 * A row's cells, formatted where the bike is read (`bikeRowCells` in BikeRows.tsx): id, name, type,
 * frame, wheels, colour, year, weight, price, stock, and a trailing 1 when the item is incomplete.
 */
export type BikeRowCells = [
  id: string,
  name: Cell,
  type: Cell,
  frameSize: Cell,
  wheelSize: Cell,
  colour: Cell,
  year: Cell<number>,
  weight: Cell,
  price: Cell,
  stock: Cell<number>,
  incomplete?: 1,
];

/** A cell's text, escaped; a dash for a field the item lacked. */
const cellText = (value: Cell<string | number>): string => (value === null ? "—" : escapeHtml(String(value)));

/** The rows' markup; every value, numbers included, through the one escaper (lib/escape-html.ts). */
export function bikeRowsHtml(rows: readonly BikeRowCells[]): string {
  let html = "";
  for (const [id, name, type, frameSize, wheelSize, colour, year, weight, price, stock, incomplete] of rows) {
    const cells = [type, frameSize, wheelSize, colour, year, weight].map((value) => `<td>${cellText(value)}</td>`);
    const escapedId = escapeHtml(id);
    // A malformed item costs its own row only: marked, with its id, and its valid fields (decision 024).
    const note = incomplete
      ? ` <small class="record-incomplete">This bike's record (${escapedId}) is incomplete.</small>`
      : "";
    html +=
      `<tr data-bike-id="${escapedId}"${incomplete ? " data-incomplete" : ""}><th scope="row">` +
      `<a href="/bikes/${escapeHtml(encodeURIComponent(id))}">${name === null ? escapedId : escapeHtml(name)}</a>${note}</th>` +
      `${cells.join("")}<td class="num">${cellText(price)}</td><td class="num">${cellText(stock)}</td></tr>`;
  }
  return html;
}

/** One Scan page of rows: a <tbody> of its own, so each page streams as a unit. */
export function ScanPageRows({ rows, page }: { rows: readonly BikeRowCells[]; page?: number | undefined }) {
  // biome-ignore lint/security/noDangerouslySetInnerHtml: every text is escaped by bikeRowsHtml; the point is that React does not hydrate the rows one by one (decision 022).
  return <tbody data-scan-page={page} dangerouslySetInnerHTML={{ __html: bikeRowsHtml(rows) }} />;
}
