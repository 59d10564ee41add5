// Cross-check of Pair's C++ ChangeSet model against @codemirror/state itself: random
// documents and random change sets (emoji, CJK, combining marks, line breaks), built and
// applied by the real library, then decoded and applied by `pair_collab_apply` (the C++
// decoder and apply_changes). Both must give the same text and the same JSON; where the
// library would split a surrogate pair the C++ side must refuse; where fromJSON throws
// the C++ side must refuse too. The seed is printed, and PAIR_COLLAB_SEED replays it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import fs from "node:fs";
import { ChangeSet, Text } from "@codemirror/state";
import { rng } from "./collab_peer.mjs";

const SEED = Number(process.env.PAIR_COLLAB_SEED ?? Date.now() % 1_000_000);
const CASES = 3000;

function tool() {
  const dir = process.env.ROOST_BIN;
  if (!dir) throw new Error("ROOST_BIN is not set (directory holding pair_collab_apply)");
  const bin = path.resolve(dir, "pair_collab_apply");
  if (!fs.existsSync(bin)) throw new Error(`pair_collab_apply not found at ${bin} (build the pair_collab_apply target)`);
  return bin;
}

/** Runs every case through the C++ tool in one process; resolves its answers in order. */
function runCpp(cases) {
  return new Promise((resolve, reject) => {
    const proc = spawn(tool(), [], { stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (d) => { out += d; });
    proc.on("error", reject);
    const timer = setTimeout(() => { proc.kill("SIGKILL"); reject(new Error("pair_collab_apply timed out")); }, 60000);
    proc.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`pair_collab_apply exited with ${code}`));
      const lines = out.split("\n").filter((l) => l.length > 0);
      if (lines.length !== cases.length) return reject(new Error(`expected ${cases.length} answers, got ${lines.length}`));
      resolve(lines.map((l) => JSON.parse(l)));
    });
    proc.stdin.end(cases.map((c) => JSON.stringify(c)).join("\n") + "\n");
  });
}

const PIECES = ["a", "b", "z", " ", "\n", "😀", "🎉", "👍🏽", "漢", "字", "你好", "e\u0301", "é", "ß", "Ω", "ab", "{", "\t"];
const INSERT_EXTRA = ["\r\n", "\r", "x\ny", "🦀\n"];

function randomString(next, maxPieces, pieces) {
  const n = Math.floor(next() * (maxPieces + 1));
  let s = "";
  for (let i = 0; i < n; i += 1) s += pieces[Math.floor(next() * pieces.length)];
  return s;
}

/** Random change specs over a document of `length` units; positions may split a surrogate pair. */
function randomSpecs(next, length) {
  const count = Math.floor(next() * 4);
  const specs = [];
  for (let i = 0; i < count; i += 1) {
    const from = Math.floor(next() * (length + 1));
    const to = Math.min(length, from + Math.floor(next() * 4));
    specs.push({ from, to, insert: randomString(next, 3, [...PIECES, ...INSERT_EXTRA]) });
  }
  return specs;
}

/** True when a section boundary of `json` (positions in the old document) falls inside a surrogate pair of `doc`. */
function splitsPair(doc, json) {
  let pos = 0;
  const inside = (p) => p > 0 && p < doc.length && /[\ud800-\udbff]/.test(doc[p - 1]) && /[\udc00-\udfff]/.test(doc[p]);
  if (inside(pos)) return true;
  for (const part of json) {
    pos += typeof part === "number" ? part : part[0];
    if (inside(pos)) return true;
  }
  return false;
}

test(`C++ apply_changes equals @codemirror/state on random changes (seed ${SEED})`, async () => {
  const next = rng(SEED);
  const cases = [];
  const expected = [];
  for (let i = 0; i < CASES; i += 1) {
    const doc = randomString(next, 12, PIECES);
    const text = Text.of(doc.split(/\r\n?|\n/));
    const changes = ChangeSet.of(randomSpecs(next, doc.length), doc.length);
    const json = changes.toJSON();
    const mismatch = next() < 0.1;  // apply to a document of another length
    const target = mismatch ? doc + "x" : doc;
    cases.push({ doc: target, changes: json });
    // Section boundaries are checked first, in order, so a split pair wins over a length mismatch.
    if (splitsPair(doc, json)) expected.push({ error: "splits_character" });
    else if (mismatch) expected.push({ error: "length_mismatch" });
    else expected.push({ doc: changes.apply(text).toString(), changes: ChangeSet.fromJSON(json).toJSON() });
  }
  const answers = await runCpp(cases);
  let splits = 0;
  for (let i = 0; i < CASES; i += 1) {
    const where = `case ${i} (seed ${SEED}): ${JSON.stringify(cases[i])}`;
    if (expected[i].error) {
      if (expected[i].error === "splits_character") splits += 1;
      assert.deepEqual(answers[i], { ok: false, error: expected[i].error }, where);
    } else {
      assert.equal(answers[i].ok, true, `${where} → ${JSON.stringify(answers[i])}`);
      assert.equal(answers[i].doc, expected[i].doc, where);
      assert.deepEqual(answers[i].changes, expected[i].changes, where);
    }
  }
  assert.ok(splits > 0, "the random cases should include positions inside surrogate pairs");
});

test("the C++ decoder refuses every input ChangeSet.fromJSON refuses", async () => {
  const hostile = [
    {}, 5, "x", null, true, ["a"], [[]], [["a"]], [[1, 2]], [[1, "a", 3]], [null], [true], [{}], [[1, null]], [[[1]]],
    [["1", "a"]], [[1, "a", ["b"]]],
  ];
  for (const changes of hostile) assert.throws(() => ChangeSet.fromJSON(changes), RangeError, JSON.stringify(changes));
  const answers = await runCpp(hostile.map((changes) => ({ doc: "abc", changes })));
  answers.forEach((a, i) => assert.deepEqual(a, { ok: false, error: "malformed" }, JSON.stringify(hostile[i])));
});

test("the C++ decoder also refuses what fromJSON takes but no client produces", async () => {
  // Negative and fractional lengths, and line breaks inside a line, corrupt a document.
  const cases = [
    { changes: [-1, 4], error: "malformed" },
    { changes: [1.5, 1.5], error: "malformed" },
    { changes: [[0, "a\nb"], 3], error: "invalid_text" },
    { changes: [[0, "a\rb"], 3], error: "invalid_text" },
    { changes: [[0, "a\u0000"], 3], error: "invalid_text" },
  ];
  const answers = await runCpp(cases.map(({ changes }) => ({ doc: "abc", changes })));
  answers.forEach((a, i) => assert.deepEqual(a, { ok: false, error: cases[i].error }, JSON.stringify(cases[i].changes)));
});
