// Readers of the app's server-rendered HTML, shared by `npm run perf:budget` (budget-chain.ts)
// and the e2e specs. They read the markup React writes, as text: an element is found by its id, a
// row by `<tr data-bike-id>`. The RSC payload's copies of the same values are JSON strings, never
// `name="value"` attributes, so they are not read.

/** React's escapes in an attribute value (escapeTextForBrowser); `&amp;` last, so `&amp;lt;` stays `&lt;`. */
const ENTITIES: ReadonlyArray<readonly [string, string]> = [
  ["&quot;", '"'],
  ["&#x27;", "'"],
  ["&lt;", "<"],
  ["&gt;", ">"],
  ["&amp;", "&"],
];

function attributeIn(tag: string, name: string): string | undefined {
  const raw = new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
  return raw === undefined
    ? undefined
    : ENTITIES.reduce((value, [entity, text]) => value.replaceAll(entity, text), raw);
}

/** The opening tag of the element with this id, or undefined when the page has none. */
export function openingTag(html: string, id: string): string | undefined {
  return new RegExp(`<[a-zA-Z][^>]*\\sid="${id}"[^>]*>`).exec(html)?.[0];
}

/** An attribute of the element with this id, unescaped; undefined when the element or the attribute is missing. */
export function attributeOf(html: string, id: string, name: string): string | undefined {
  const tag = openingTag(html, id);
  return tag === undefined ? undefined : attributeIn(tag, name);
}

/** The href of the element with this id as an absolute URL, resolved against the page's own URL. */
export function linkOf(html: string, id: string, pageUrl: string): string | undefined {
  const href = attributeOf(html, id, "href");
  return href ? new URL(href, pageUrl).toString() : undefined;
}

/** Ids of the bike rows (`<tr data-bike-id>`), in document order. */
export function bikeRowIds(html: string): string[] {
  return [...html.matchAll(/<tr data-bike-id="([^"]*)"/g)].map((match) => match[1] as string);
}

/** The src of the first script the page loads from Next's hashed build files (`/_next/static/`). */
export function staticScriptSrc(html: string): string | undefined {
  return /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
}
