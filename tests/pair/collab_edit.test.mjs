// collab:push / collab:pull through the real phoenix client: a push at the current
// version is acknowledged and broadcast to everyone (the pusher included); a stale
// push is refused with the current version, and @codemirror/collab's own rebase
// (receiveUpdates) followed by a retry succeeds; malformed, mismatched and
// character-splitting changes are refused as invalid and the room keeps working.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { EditorState, ChangeSet } from "@codemirror/state";
import { collab, receiveUpdates, sendableUpdates, getSyncedVersion } from "@codemirror/collab";
import { startPair, joinChannel, push } from "./pair_harness.mjs";
import { connectedUser, createChallenge, fetchChallenge, recorder } from "./channel_helpers.mjs";

let pair;
before(async () => { pair = await startPair(); });
after(async () => { await pair?.close(); });

const wire = (updates) => updates.map((u) => ({ clientID: u.clientID, changes: u.changes.toJSON() }));
const fromWire = (updates) => updates.map((u) => ({ clientID: u.clientID, changes: ChangeSet.fromJSON(u.changes) }));

async function room(initial) {
  const ada = await connectedUser(pair, "Ada");
  const bob = await connectedUser(pair, "Bob");
  const challenge = await createChallenge(pair, ada.token, { response: initial });
  const topic = `challenges:${challenge.id}`;
  const a = await joinChannel(ada.socket, topic);
  const b = await joinChannel(bob.socket, topic);
  return { ada, bob, challenge, a: a.channel, b: b.channel, reply: a.reply };
}

test("a push is acknowledged, stored and broadcast to everyone, the pusher included", async () => {
  const { ada, challenge, a, b, reply } = await room("a😀b");
  const streamA = recorder(a, "collab:updates");
  const streamB = recorder(b, "collab:updates");
  let state = EditorState.create({ doc: reply.challenge.response, extensions: [collab({ startVersion: 0 })] });
  state = state.update({ changes: { from: 3, insert: "漢字\n🎉" } }).state;   // after the emoji (UTF-16 offset 3)
  const updates = wire(sendableUpdates(state));
  assert.deepEqual(updates[0].changes, [3, [0, "漢字", "🎉"], 1]);
  const res = await push(a, "collab:push", { version: 0, updates });
  assert.deepEqual(res, { status: "ok", reply: { version: 1 } });
  for (const stream of [streamA, streamB]) {
    const { payload } = await stream.next();
    assert.deepEqual(payload, { version: 0, updates });
  }
  // The pusher confirms its update through the stream.
  state = state.update(receiveUpdates(state, fromWire(updates))).state;
  assert.equal(sendableUpdates(state).length, 0);
  assert.equal(getSyncedVersion(state), 1);
  const stored = await fetchChallenge(pair, ada.token, challenge.id);
  assert.equal(stored.response, "a😀漢字\n🎉b");
  assert.equal(stored.response, state.doc.toString());
  assert.equal(stored.version, 1);
  // Pull from any version gives the stored history.
  assert.deepEqual((await push(b, "collab:pull", { version: 0 })).reply, { version: 0, updates });
  assert.deepEqual((await push(b, "collab:pull", { version: 1 })).reply, { version: 1, updates: [] });
  assert.deepEqual((await push(b, "collab:pull", { version: 7 })).reply, { reason: "desync" });
  assert.deepEqual((await push(b, "collab:pull", { version: -1 })).reply, { reason: "invalid" });
});

test("a stale push is refused with the current version; rebase with receiveUpdates and retry succeeds", async () => {
  const { ada, challenge, a, b } = await room("Hello world");
  let stateA = EditorState.create({ doc: "Hello world", extensions: [collab({ startVersion: 0 })] });
  let stateB = EditorState.create({ doc: "Hello world", extensions: [collab({ startVersion: 0 })] });
  stateA = stateA.update({ changes: { from: 0, insert: "Oh, " } }).state;
  stateB = stateB.update({ changes: { from: 6, to: 11, insert: "there" } }).state;

  const first = await push(a, "collab:push", { version: 0, updates: wire(sendableUpdates(stateA)) });
  assert.deepEqual(first.reply, { version: 1 });
  const stale = await push(b, "collab:push", { version: 0, updates: wire(sendableUpdates(stateB)) });
  assert.deepEqual(stale, { status: "error", reply: { reason: "stale", version: 1 } });

  const pulled = await push(b, "collab:pull", { version: getSyncedVersion(stateB) });
  stateB = stateB.update(receiveUpdates(stateB, fromWire(pulled.reply.updates))).state;
  assert.equal(stateB.doc.toString(), "Oh, Hello there");
  const rebased = wire(sendableUpdates(stateB));
  assert.deepEqual(rebased[0].changes, [10, [5, "there"]]);
  const retry = await push(b, "collab:push", { version: getSyncedVersion(stateB), updates: rebased });
  assert.deepEqual(retry, { status: "ok", reply: { version: 2 } });
  assert.equal((await fetchChallenge(pair, ada.token, challenge.id)).response, "Oh, Hello there");
});

test("malformed, mismatched and character-splitting changes are refused; the room keeps working", async () => {
  const { ada, challenge, a } = await room("a😀b");
  const bad = [
    {},
    { version: 0 },
    { updates: [] },
    { version: "0", updates: [] },
    { version: 0, updates: "x" },
    { version: 0, updates: [{ clientID: "c", changes: "[4]" }] },
    { version: 0, updates: [{ clientID: 5, changes: [4] }] },
    { version: 0, updates: [{ changes: [4] }] },
    { version: 0, updates: [{ clientID: "c", changes: [[-1]] }] },
    { version: 0, updates: [{ clientID: "c", changes: [{ insert: "x" }] }] },
    { version: 0, updates: [{ clientID: "c", changes: [4, [0, "two\nlines"]] }] },
    { version: 0, updates: [{ clientID: "c", changes: [5] }] },                 // length mismatch (bytes would be 6)
    { version: 0, updates: [{ clientID: "c", changes: [6] }] },
    { version: 0, updates: [{ clientID: "c", changes: [2, [0, "x"], 2] }] },    // inside the emoji
    { version: 0, updates: [{ clientID: "c", changes: [1, [1], 2] }] },         // half of the emoji
  ];
  for (const payload of bad) {
    const res = await push(a, "collab:push", payload);
    assert.deepEqual(res, { status: "error", reply: { reason: "invalid" } }, JSON.stringify(payload));
  }
  const tooMany = { version: 0, updates: Array.from({ length: 10001 }, () => ({ clientID: "c", changes: [4] })) };
  assert.deepEqual((await push(a, "collab:push", tooMany)).reply, { reason: "too_large" });
  const huge = { version: 0, updates: [{ clientID: "c", changes: [4, [0, "z".repeat(256 * 1024)]] }] };
  assert.deepEqual((await push(a, "collab:push", huge)).reply, { reason: "too_large" });
  assert.deepEqual((await push(a, "collab:push", { version: 3, updates: [{ clientID: "c", changes: [4] }] })).reply,
    { reason: "desync", version: 0 });
  const still = await fetchChallenge(pair, ada.token, challenge.id);
  assert.equal(still.version, 0);
  assert.equal(still.response, "a😀b");
  // A lone surrogate is not valid text: Roost's frame decoder refuses the frame and closes
  // that client's socket; nothing is stored and everyone else carries on.
  const mallory = await connectedUser(pair, "Mallory");
  const m = await joinChannel(mallory.socket, `challenges:${challenge.id}`);
  const closed = new Promise((resolve) => m.channel.onError(resolve));
  m.channel.push("collab:push", { version: 0, updates: [{ clientID: "c", changes: [[0, "\ud83d"], 4] }] });
  await closed;
  // A valid push still goes through.
  const ok = await push(a, "collab:push", { version: 0, updates: [{ clientID: "c", changes: [[1], 3] }] });
  assert.deepEqual(ok, { status: "ok", reply: { version: 1 } });
  assert.equal((await fetchChallenge(pair, ada.token, challenge.id)).response, "😀b");
});

test("response:update and collab share one history: collab clients receive the replacement", async () => {
  const { a, b } = await room("abc");
  const streamB = recorder(b, "collab:updates");
  const res = await push(a, "response:update", { response: "x😀\ny" });
  assert.equal(res.status, "ok");
  const { payload } = await streamB.next();
  assert.equal(payload.version, 0);
  assert.equal(payload.updates.length, 1);
  let state = EditorState.create({ doc: "abc", extensions: [collab({ startVersion: 0 })] });
  state = state.update(receiveUpdates(state, fromWire(payload.updates))).state;
  assert.equal(state.doc.toString(), "x😀\ny");
  assert.equal(getSyncedVersion(state), res.reply.challenge.version);
});
