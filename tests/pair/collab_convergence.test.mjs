// Property test of collaborative editing through the real server: 8 simulated editors
// (@codemirror/collab client logic over the phoenix client) make random concurrent
// edits (emoji, CJK, combining marks, line breaks; inserts and deletes) and must end
// with identical documents equal to the stored response (GET /api/challenges/<id>),
// the stored history replaying to it. Run against SQLite and PostgreSQL. Replay a run
// with PAIR_COLLAB_SEED=<seed>.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { Text, ChangeSet } from "@codemirror/state";
import { startPair, startPostgres, push } from "./pair_harness.mjs";
import { connectedUser, createChallenge, fetchChallenge } from "./channel_helpers.mjs";
import { CollabPeer, boundaries, converge, rng } from "./collab_peer.mjs";

const PEERS = 8;
const EDITS_PER_PEER = 40;
const PIECES = ["a", "b", "x", " ", "\n", "😀", "🎉", "👍🏽", "漢字", "你好", "e\u0301", "é", "ß", "Ωμ", "()", "{\n}"];

const cleanups = [];
after(async () => { for (const fn of cleanups.reverse()) await fn(); });

/** One random edit of `peer`'s document at code-point boundaries: insert, delete or replace. */
function randomEdit(next, doc) {
  const cuts = boundaries(doc);
  const pick = () => cuts[Math.floor(next() * cuts.length)];
  let from = pick();
  let to = pick();
  if (from > to) [from, to] = [to, from];
  const r = next();
  if (r < 0.55 || doc.length === 0) to = from;          // insert
  const insert = r < 0.8 ? PIECES[Math.floor(next() * PIECES.length)] + (next() < 0.3 ? PIECES[Math.floor(next() * PIECES.length)] : "") : "";
  if (to - from > 6) to = cuts.find((c) => c >= from + 1) ?? from;  // keep deletions small
  return { from, to, insert };
}

async function runEditors(pair, seed) {
  const next = rng(seed);
  const owner = await connectedUser(pair, "Owner");
  const challenge = await createChallenge(pair, owner.token, { response: "start 😀 漢字\nline é\n" });
  const peers = [];
  for (let i = 0; i < PEERS; i += 1) {
    const { socket } = await connectedUser(pair, `Peer${i}`);
    peers.push(await new CollabPeer(socket, challenge.id).join());
  }
  // Every peer edits at random moments, concurrently with the others.
  let edits = 0;  // edits that change the text (an empty one makes no update)
  await Promise.all(peers.map(async (peer) => {
    for (let n = 0; n < EDITS_PER_PEER; n += 1) {
      await new Promise((r) => setTimeout(r, Math.floor(next() * 25)));
      const edit = randomEdit(next, peer.doc);
      if (edit.from !== edit.to || edit.insert !== "") edits += 1;
      peer.edit(edit);
    }
  }));
  const version = await converge(peers, async () => (await fetchChallenge(pair, owner.token, challenge.id)).version);
  const stored = await fetchChallenge(pair, owner.token, challenge.id);
  for (const peer of peers) {
    assert.deepEqual(peer.errors, [], `peer ${peer.clientID} (seed ${seed})`);
    assert.equal(peer.doc, stored.response, `peer ${peer.clientID} differs from the stored response (seed ${seed})`);
  }
  assert.equal(stored.version, version);
  assert.equal(version, edits, "every edit became exactly one stored update");
  assert.ok(peers.some((p) => p.stale > 0), "the editors did collide (some pushes were stale and rebased)");
  // The stored history replays to the stored text.
  const history = (await push(peers[0].channel, "collab:pull", { version: 0 })).reply.updates;
  assert.equal(history.length, version);
  let text = Text.of("start 😀 漢字\nline é\n".split("\n"));
  for (const u of history) text = ChangeSet.fromJSON(u.changes).apply(text);
  assert.equal(text.toString(), stored.response);
  for (const peer of peers) peer.leave();
  return { version, stored };
}

test("8 concurrent editors converge on the stored response (SQLite)", async () => {
  const seed = Number(process.env.PAIR_COLLAB_SEED ?? Date.now() % 1_000_000);
  const pair = await startPair();
  cleanups.push(() => pair.close());
  await runEditors(pair, seed);
});

test("8 concurrent editors converge on the stored response (PostgreSQL)", async () => {
  const seed = Number(process.env.PAIR_COLLAB_SEED ?? (Date.now() + 1) % 1_000_000);
  const pg = await startPostgres();
  cleanups.push(() => pg.stop());
  const pair = await startPair({ db: pg.url });
  cleanups.push(() => pair.close());
  await runEditors(pair, seed);
});
