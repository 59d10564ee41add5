#!/usr/bin/env node
// Checks that docs/tutorial.md shows the real code of Pair: every fenced code block must
// be preceded by a line `<!-- source: <path> <region> -->` and must equal, line for
// line, the region of that file between the lines holding `tutorial:begin <region>` and
// `tutorial:end <region>` (marker lines of other regions inside are left out; both sides
// are compared without their common indentation). A block without a source, a missing
// file or region, or any difference fails with the first differing line.
//
//   node tests/pair/tools/check_tutorial.mjs docs/tutorial.md <repository root>
import fs from "node:fs";
import path from "node:path";

const [tutorialPath, root] = process.argv.slice(2);
if (!tutorialPath || !root) {
  console.error("usage: check_tutorial.mjs <tutorial.md> <repository root>");
  process.exit(2);
}

const MARKER = /^<!--\s*source:\s*(\S+)\s+(\S+)\s*-->\s*$/;
const BEGIN = /tutorial:begin\s+(\S+)/;
const END = /tutorial:end\s+(\S+)/;

function dedent(lines) {
  const indents = lines.filter((l) => l.trim().length > 0).map((l) => l.match(/^ */)[0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd());
}

function region(file, name) {
  const lines = fs.readFileSync(file, "utf8").split("\n");
  const start = lines.findIndex((l) => BEGIN.exec(l)?.[1] === name);
  if (start === -1) throw new Error(`${file}: no "tutorial:begin ${name}"`);
  const end = lines.findIndex((l, i) => i > start && END.exec(l)?.[1] === name);
  if (end === -1) throw new Error(`${file}: no "tutorial:end ${name}" after its begin`);
  return dedent(lines.slice(start + 1, end).filter((l) => !BEGIN.test(l) && !END.test(l)));
}

const md = fs.readFileSync(tutorialPath, "utf8").split("\n");
const failures = [];
let blocks = 0;
for (let i = 0; i < md.length; i += 1) {
  const fence = /^(\s*)(```+)/.exec(md[i]);
  if (!fence) continue;
  const close = md.findIndex((l, j) => j > i && l.trim() === fence[2]);
  if (close === -1) { failures.push(`line ${i + 1}: code block never closed`); break; }
  blocks += 1;
  let k = i - 1;
  while (k >= 0 && md[k].trim() === "") k -= 1;
  const marker = k >= 0 ? MARKER.exec(md[k].trim()) : null;
  if (!marker) {
    failures.push(`line ${i + 1}: code block without a "<!-- source: <path> <region> -->" line before it`);
  } else {
    const [, file, name] = marker;
    try {
      const want = region(path.join(root, file), name);
      const got = dedent(md.slice(i + 1, close));
      const n = Math.max(want.length, got.length);
      for (let j = 0; j < n; j += 1) {
        if (want[j] !== got[j]) {
          failures.push(`line ${i + 2 + j}: block differs from ${file} region ${name}\n    tutorial: ${JSON.stringify(got[j] ?? "<end>")}\n    source:   ${JSON.stringify(want[j] ?? "<end>")}`);
          break;
        }
      }
    } catch (e) {
      failures.push(`line ${i + 1}: ${e.message}`);
    }
  }
  i = close;
}
if (blocks === 0) failures.push("the tutorial has no code blocks");
if (failures.length) {
  console.error(`${tutorialPath}: ${failures.length} code block(s) out of step with the sources:\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(`${tutorialPath}: all ${blocks} code blocks equal their source regions`);
