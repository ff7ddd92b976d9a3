// Every relative link and image in README.md, BENCHMARKS.md, docs/ and harness/ points at a file that exists,
// and every #anchor at a heading of that file (GitHub's slugs), so moving a page breaks a test.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import GithubSlugger from "github-slugger";
import { fromMarkdown } from "mdast-util-from-markdown";
import { toString as textOf } from "mdast-util-to-string";

const ROOT = path.resolve(import.meta.dirname, "..");

type Node = ReturnType<typeof fromMarkdown>["children"][number] | ReturnType<typeof fromMarkdown>;

function walk(node: Node, visit: (node: Node) => void): void {
  visit(node);
  if ("children" in node) for (const child of node.children) walk(child, visit);
}

function parse(file: string) {
  return fromMarkdown(readFileSync(file, "utf8"));
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorCache.get(file);
  if (!anchors) {
    const slugger = new GithubSlugger();
    anchors = new Set();
    const found = anchors;
    walk(parse(file), (node) => {
      if (node.type === "heading") found.add(slugger.slug(textOf(node)));
    });
    anchorCache.set(file, anchors);
  }
  return anchors;
}

/** The relative links of `files` that lead nowhere, as "file: url (why)". */
function brokenLinks(files: string[]): string[] {
  const broken: string[] = [];
  for (const file of files) {
    walk(parse(file), (node) => {
      if (node.type !== "link" && node.type !== "image" && node.type !== "definition") return;
      const url = node.url;
      if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith("//")) return;
      const [target, anchor] = url.split("#", 2) as [string, string | undefined];
      const resolved = target === "" ? file : path.resolve(path.dirname(file), decodeURIComponent(target));
      const where = `${path.relative(ROOT, file)}: ${url}`;
      if (!existsSync(resolved)) {
        broken.push(`${where} (no such file)`);
        return;
      }
      if (anchor === undefined || anchor === "") return;
      if (statSync(resolved).isDirectory() || !resolved.endsWith(".md")) {
        broken.push(`${where} (an anchor into something that is not a Markdown file)`);
        return;
      }
      if (!anchorsOf(resolved).has(anchor)) broken.push(`${where} (no heading #${anchor})`);
    });
  }
  return broken;
}

function markdownUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return markdownUnder(full);
    return entry.name.endsWith(".md") ? [full] : [];
  });
}

describe("documentation links", () => {
  const tmp = mkdtempSync(path.join(tmpdir(), "docs-links-"));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it("every relative link in README.md, BENCHMARKS.md and docs/ resolves, anchors included", () => {
    const files = [
      path.join(ROOT, "README.md"),
      path.join(ROOT, "BENCHMARKS.md"),
      ...markdownUnder(path.join(ROOT, "docs")),
    ];
    assert.ok(files.length > 5, "found the docs");
    assert.deepEqual(brokenLinks(files), []);
  });

  it("reports a missing file, a missing heading and a heading that exists only once", () => {
    writeFileSync(path.join(tmp, "b.md"), "# B\n\n## Twice\n\n## Twice\n\n## A `code` heading!\n");
    const a = path.join(tmp, "a.md");
    writeFileSync(
      a,
      [
        "[ok](b.md#twice) [ok](b.md#twice-1) [ok](b.md#a-code-heading) [ok](#a) [web](https://example.com/x#y)",
        "[gone](c.md) [no anchor](b.md#twice-2) [self](#nowhere) ![pic](missing.svg)",
        "",
        "# A",
        "",
        "```md",
        "[inside code](nowhere.md)",
        "```",
      ].join("\n"),
    );
    assert.deepEqual(
      brokenLinks([a]).map((line) => line.slice(line.indexOf(": ") + 2)),
      [
        "c.md (no such file)",
        "b.md#twice-2 (no heading #twice-2)",
        "#nowhere (no heading #nowhere)",
        "missing.svg (no such file)",
      ],
    );
  });
});
