// Section J: presence (items 76-90) with raw frames, plus the fixture's presence_diff
// coalescing window (`--presence-window-ms`, default 25 ms: the net joins/leaves of a
// topic over one window go out as one diff; 0 = one diff per change, like Phoenix).
// Items 91-93 need a cluster and are not covered here.
//
// phx_ref values are opaque: they are captured from one frame and compared with later
// ones. Frames of a socket are taken by predicate (a presence_state push and the
// socket's own presence_diff have no defined relative order).
import assert from "node:assert/strict";
import { Presence } from "phoenix";
import { useServer, test, openRaw, sleep } from "./harness.mjs";

const server = useServer(); // default window (25 ms)
const server0 = useServer({ args: ["--presence-window-ms", "0"] });
const serverSlow = useServer({ args: ["--presence-window-ms", "300"] });

const OK = (response = {}) => ({ response, status: "ok" });
const ERR = (reason) => ({ response: { reason }, status: "error" });

// With the default 25 ms window a diff arrives well within this.
const DIFF_MS = 2000;
// How long "no diff is emitted" is observed.
const QUIET_MS = 300;

let topicCounter = 0;
const freshTopic = (name) => `presence:${name}-${process.pid}-${++topicCounter}`;

const isFrame = (f) => Array.isArray(f) && f.length === 5;
const isEvent = (topic, event) => (f) => isFrame(f) && f[2] === topic && f[3] === event;
const isDiff = (topic) => isEvent(topic, "presence_diff");
const isState = (topic) => isEvent(topic, "presence_state");
const isReply = (topic, ref) => (f) => isFrame(f) && f[2] === topic && f[3] === "phx_reply" && f[1] === ref;

// Every presence_diff seen anywhere in this file, for item 89.
const allDiffs = [];

/** Removes and returns the first queued frame matching `pred`, waiting up to `ms`. */
async function take(raw, pred, ms = DIFF_MS, what = "frame") {
  const deadline = Date.now() + ms;
  for (;;) {
    const i = raw.queue.findIndex(pred);
    if (i >= 0) {
      const f = raw.queue.splice(i, 1)[0];
      if (isFrame(f) && f[3] === "presence_diff") allDiffs.push(f[4]);
      return f;
    }
    if (Date.now() > deadline) {
      assert.fail(`${what}: none within ${ms} ms; queued: ${JSON.stringify(raw.queue)}${raw.closeInfo ? ` (closed ${raw.closeInfo.code})` : ""}`);
    }
    await sleep(3);
  }
}

/** Asserts that no frame matching `pred` arrives (or is queued) within `ms`. */
async function none(raw, pred, ms = QUIET_MS, what = "frame") {
  const deadline = Date.now() + ms;
  for (;;) {
    const f = raw.queue.find(pred);
    if (f) assert.fail(`expected no ${what}, got ${JSON.stringify(f)}`);
    if (Date.now() > deadline) return;
    await sleep(5);
  }
}

/** All queued frames matching `pred` (removed from the queue). */
function drain(raw, pred) {
  const out = [];
  for (let i = 0; i < raw.queue.length;) {
    if (pred(raw.queue[i])) out.push(raw.queue.splice(i, 1)[0]);
    else i++;
  }
  for (const f of out) if (f[3] === "presence_diff") allDiffs.push(f[4]);
  return out;
}

/**
 * Joins `topic` and asserts the ok reply, then its presence_state push (same join_ref,
 * null ref). Returns {joinRef, state}. The own diff (if any) is left in the queue.
 */
async function joinPresence(raw, topic, payload = {}, joinRef = `j${++topicCounter}`) {
  raw.send([joinRef, joinRef, topic, "phx_join", payload]);
  const reply = await take(raw, isReply(topic, joinRef), 3000, `join reply for ${topic}`);
  assert.deepEqual(reply, [joinRef, joinRef, topic, "phx_reply", OK()]);
  const state = await take(raw, isState(topic), 3000, `presence_state for ${topic}`);
  assert.equal(state.length, 5);
  assert.equal(state[0], joinRef, "presence_state carries the join_ref");
  assert.equal(state[1], null, "presence_state has a null ref");
  return { joinRef, state: state[4] };
}

/** A fresh socket joined without `name`: the current snapshot of `topic`. */
async function snapshot(t, srv, topic) {
  const raw = await openRaw(t, srv);
  const { state } = await joinPresence(raw, topic, {});
  raw.terminate();
  return state;
}

/** Sends an event on a joined topic and returns the reply payload. */
async function push(raw, topic, joinRef, event, payload = {}) {
  const ref = `r${++topicCounter}`;
  raw.send([joinRef, ref, topic, event, payload]);
  const reply = await take(raw, isReply(topic, ref), 3000, `reply to ${event}`);
  assert.equal(reply[0], joinRef);
  return reply[4];
}

/** Next presence_diff for `topic`, checked to be [null,null,topic,"presence_diff",{joins,leaves}]. */
async function nextDiff(raw, topic, ms = DIFF_MS) {
  const f = await take(raw, isDiff(topic), ms, `presence_diff on ${topic}`);
  assert.equal(f[0], null, "presence_diff join_ref");
  assert.equal(f[1], null, "presence_diff ref");
  assertBothSides(f[4]);
  return f[4];
}

function assertBothSides(payload) {
  assert.equal(typeof payload, "object");
  assert.ok(payload !== null && !Array.isArray(payload));
  assert.deepEqual(Object.keys(payload).sort(), ["joins", "leaves"], `diff payload keys: ${JSON.stringify(payload)}`);
  for (const side of ["joins", "leaves"]) {
    const v = payload[side];
    assert.ok(v !== null && typeof v === "object" && !Array.isArray(v), `${side} is an object: ${JSON.stringify(payload)}`);
  }
}

function onlyRef(presence, key) {
  assert.ok(presence[key], `key ${key} present in ${JSON.stringify(presence)}`);
  assert.equal(presence[key].metas.length, 1, `one meta under ${key}: ${JSON.stringify(presence)}`);
  const ref = presence[key].metas[0].phx_ref;
  assertRef(ref);
  return ref;
}

function assertRef(ref) {
  assert.equal(typeof ref, "string", `phx_ref is a string: ${JSON.stringify(ref)}`);
  assert.ok(ref.length > 0, "phx_ref is not empty");
}

/** {key: sorted phx_refs} of a presence map. */
function refsByKey(presences) {
  const out = {};
  for (const [k, v] of Object.entries(presences)) out[k] = v.metas.map((m) => m.phx_ref).sort();
  return out;
}

/** Opens an observer socket already joined (without name) to `topic`. */
async function observer(t, srv, topic) {
  const raw = await openRaw(t, srv);
  const joined = await joinPresence(raw, topic, {});
  return { raw, ...joined };
}

/** Opens a socket joined with `name`; returns {raw, joinRef, state, ref} after its own join diff. */
async function tracked(t, srv, topic, name, { ownDiff = true } = {}) {
  const raw = await openRaw(t, srv);
  const joined = await joinPresence(raw, topic, { name });
  const key = String(name);
  const ref = joined.state[key]?.metas?.at(-1)?.phx_ref;
  if (ownDiff) await nextDiff(raw, topic);
  return { raw, ...joined, ref, key };
}

// ---------------------------------------------------------------------------
// Items 76-90
// ---------------------------------------------------------------------------

test("76 snapshot after join", async (t) => {
  const topic = freshTopic("lobby");
  const raw = await openRaw(t, server);
  raw.send(["80", "80", topic, "phx_join", { name: "ann" }]);
  await raw.expect(["80", "80", topic, "phx_reply", OK()], 3000, "join reply first");
  const state = await take(raw, isState(topic), 3000, "presence_state");
  const r1 = state[4]?.ann?.metas?.[0]?.phx_ref;
  assertRef(r1);
  assert.deepEqual(state, ["80", null, topic, "presence_state", { ann: { metas: [{ name: "ann", phx_ref: r1 }] } }]);
});

test("77 own join diff", async (t) => {
  const topic = freshTopic("lobby");
  const raw = await openRaw(t, server);
  raw.send(["80", "80", topic, "phx_join", { name: "ann" }]);
  await take(raw, isReply(topic, "80"), 3000, "join reply");
  const state = await take(raw, isState(topic), 3000, "presence_state");
  const r1 = onlyRef(state[4], "ann");
  const diff = await take(raw, isDiff(topic), DIFF_MS, "own presence_diff");
  assert.deepEqual(diff, [null, null, topic, "presence_diff",
    { joins: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } }, leaves: {} }]);
  await none(raw, isDiff(topic), QUIET_MS, "second diff");
});

test("78 other subscribers see the join", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  assert.deepEqual(obs.state, {});
  const ann = await openRaw(t, server);
  const joined = await joinPresence(ann, topic, { name: "ann" });
  const r1 = onlyRef(joined.state, "ann");
  const seen = await take(obs.raw, isDiff(topic), DIFF_MS, "observer's presence_diff");
  const own = await take(ann, isDiff(topic), DIFF_MS, "own presence_diff");
  const expected = [null, null, topic, "presence_diff", { joins: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } }, leaves: {} }];
  assert.deepEqual(seen, expected);
  assert.deepEqual(own, expected);
  await none(obs.raw, isDiff(topic), QUIET_MS, "second diff at the observer");
});

test("79 second tab", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const tab1 = await tracked(t, server, topic, "ann");
  const r1 = tab1.ref;
  assert.deepEqual(await nextDiff(obs.raw, topic), { joins: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } }, leaves: {} });

  const tab2 = await openRaw(t, server);
  const joined = await joinPresence(tab2, topic, { name: "ann" });
  const d = await nextDiff(obs.raw, topic);
  const r2 = onlyRef(d.joins, "ann");
  assert.notEqual(r2, r1);
  assert.deepEqual(d, { joins: { ann: { metas: [{ name: "ann", phx_ref: r2 }] } }, leaves: {} }, "only the new meta");
  // the second tab's snapshot lists both metas under "ann"
  assert.deepEqual(Object.keys(joined.state), ["ann"]);
  assert.equal(joined.state.ann.metas.length, 2);
  const byRef = Object.fromEntries(joined.state.ann.metas.map((m) => [m.phx_ref, m]));
  assert.deepEqual(byRef, { [r1]: { name: "ann", phx_ref: r1 }, [r2]: { name: "ann", phx_ref: r2 } });
  // the first tab sees the same diff
  assert.deepEqual(await nextDiff(tab1.raw, topic), d);
});

test("80 one tab leaves", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const tab1 = await tracked(t, server, topic, "ann");
  const tab2 = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  await nextDiff(obs.raw, topic);
  await nextDiff(tab1.raw, topic); // tab2's join
  const [r1, r2] = [tab1.ref, tab2.ref];

  tab1.raw.send([tab1.joinRef, "l80", topic, "phx_leave", {}]);
  await take(tab1.raw, isReply(topic, "l80"), 3000, "leave reply");
  const d = await nextDiff(obs.raw, topic);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } } });
  assert.deepEqual(await nextDiff(tab2.raw, topic), d);
  const snap = await snapshot(t, server, topic);
  assert.deepEqual(snap, { ann: { metas: [{ name: "ann", phx_ref: r2 }] } });
  await none(tab1.raw, isDiff(topic), QUIET_MS, "diff to the socket that left the topic");
});

test("81 update", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const tab1 = await tracked(t, server, topic, "ann");
  const tab2 = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  await nextDiff(obs.raw, topic);
  const [r1, r2] = [tab1.ref, tab2.ref];

  tab2.raw.send([tab2.joinRef, "81", topic, "away", {}]);
  const reply = await take(tab2.raw, isReply(topic, "81"), 3000, "away reply");
  assert.deepEqual(reply, [tab2.joinRef, "81", topic, "phx_reply", OK()]);
  const d = await nextDiff(obs.raw, topic);
  const r3 = d.joins?.ann?.metas?.[0]?.phx_ref;
  assertRef(r3);
  assert.ok(r3 !== r1 && r3 !== r2, "the update gets a new ref");
  assert.deepEqual(d, {
    joins: { ann: { metas: [{ away: true, name: "ann", phx_ref: r3, phx_ref_prev: r2 }] } },
    leaves: { ann: { metas: [{ name: "ann", phx_ref: r2 }] } },
  });
  await none(obs.raw, isDiff(topic), QUIET_MS, "second diff for one update");
  const snap = await snapshot(t, server, topic);
  assert.deepEqual(refsByKey(snap), { ann: [r1, r3].sort() });
  assert.deepEqual(snap.ann.metas.find((m) => m.phx_ref === r3), { away: true, name: "ann", phx_ref: r3, phx_ref_prev: r2 });
});

test("82 untrack", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  const d = await nextDiff(obs.raw, topic);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } } });
  // the channel is still joined and still receives diffs (its own leave too)
  assert.deepEqual(await nextDiff(ann.raw, topic), d);
  assert.deepEqual(await snapshot(t, server, topic), {});
});

test("82b untrack after an update leaves the current meta", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "away"), OK());
  const up = await nextDiff(obs.raw, topic);
  const r2 = onlyRef(up.joins, "ann");
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  const d = await nextDiff(obs.raw, topic);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ away: true, name: "ann", phx_ref: r2, phx_ref_prev: ann.ref }] } } });
});

test("83 crash removes presence", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  ann.raw.send([ann.joinRef, "83", topic, "boom", {}]);
  const err = await take(ann.raw, isEvent(topic, "phx_error"), 3000, "phx_error");
  assert.deepEqual(err, [ann.joinRef, ann.joinRef, topic, "phx_error", { reason: "channel_crash" }]);
  const d = await nextDiff(obs.raw, topic);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } } });
  assert.deepEqual(await snapshot(t, server, topic), {});
  assert.ok(ann.raw.isOpen, "the socket survives a channel crash");
});

test("84 disconnect removes presence (clean close)", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  const bob = await tracked(t, server, topic, "bob");
  await nextDiff(obs.raw, topic);
  await nextDiff(obs.raw, topic);
  ann.raw.close(1000);
  const d = await nextDiff(obs.raw, topic);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } } });
  assert.deepEqual(await snapshot(t, server, topic), { bob: { metas: [{ name: "bob", phx_ref: bob.ref }] } });
});

test("84b disconnect removes presence (connection dropped)", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  ann.raw.terminate();
  const d = await nextDiff(obs.raw, topic, 5000);
  assert.deepEqual(d, { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } } });
  assert.deepEqual(await snapshot(t, server, topic), {});
});

test("84c one socket in several presence topics: each topic gets its leave", async (t) => {
  const topicA = freshTopic("multi");
  const topicB = freshTopic("multi");
  const obsA = await observer(t, server, topicA);
  const obsB = await observer(t, server, topicB);
  const raw = await openRaw(t, server);
  const a = await joinPresence(raw, topicA, { name: "ann" });
  const b = await joinPresence(raw, topicB, { name: "ann" });
  const ra = onlyRef(a.state, "ann");
  const rb = onlyRef(b.state, "ann");
  assert.notEqual(ra, rb);
  await nextDiff(obsA.raw, topicA);
  await nextDiff(obsB.raw, topicB);
  raw.terminate();
  assert.deepEqual(await nextDiff(obsA.raw, topicA, 5000), { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ra }] } } });
  assert.deepEqual(await nextDiff(obsB.raw, topicB, 5000), { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: rb }] } } });
});

test("85 duplicate track", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  ann.raw.send([ann.joinRef, "85", topic, "track", {}]);
  const reply = await take(ann.raw, isReply(topic, "85"), 3000, "track reply");
  assert.deepEqual(reply, [ann.joinRef, "85", topic, "phx_reply", ERR("already_tracked")]);
  await Promise.all([
    none(obs.raw, isDiff(topic), QUIET_MS, "diff after already_tracked"),
    none(ann.raw, isDiff(topic), QUIET_MS, "diff after already_tracked"),
  ]);
  assert.deepEqual(await snapshot(t, server, topic), { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } });
});

test("85b track again after untrack is a fresh join", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "track"), OK());
  const d = await nextDiff(obs.raw, topic);
  const r2 = onlyRef(d.joins, "ann");
  assert.notEqual(r2, ann.ref, "a ref is never reused");
  assert.deepEqual(d, { joins: { ann: { metas: [{ name: "ann", phx_ref: r2 }] } }, leaves: {} });
});

test("86 update of untracked key", async (t) => {
  const topic = freshTopic("lobby");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  await nextDiff(obs.raw, topic);
  await nextDiff(ann.raw, topic);
  ann.raw.send([ann.joinRef, "86", topic, "away", {}]);
  const reply = await take(ann.raw, isReply(topic, "86"), 3000, "away reply");
  assert.deepEqual(reply, [ann.joinRef, "86", topic, "phx_reply", ERR("nopresence")]);
  await Promise.all([
    none(obs.raw, isDiff(topic), QUIET_MS, "diff after nopresence"),
    none(ann.raw, isDiff(topic), QUIET_MS, "diff after nopresence"),
  ]);
});

test("87 empty topic snapshot", async (t) => {
  const topic = freshTopic("empty");
  const raw = await openRaw(t, server);
  raw.send(["87", "87", topic, "phx_join", {}]);
  await raw.expect(["87", "87", topic, "phx_reply", OK()], 3000);
  await raw.expect(["87", null, topic, "presence_state", {}], 3000);
  await none(raw, isDiff(topic), QUIET_MS, "diff for a join that tracks nothing");
});

test("88 key stringification", async (t) => {
  const topic = freshTopic("ints");
  const obs = await observer(t, server, topic);
  const raw = await openRaw(t, server);
  const { state } = await joinPresence(raw, topic, { name: 42 });
  const r = onlyRef(state, "42");
  assert.deepEqual(state, { 42: { metas: [{ name: 42, phx_ref: r }] } });
  assert.deepEqual(Object.keys(state), ["42"]);
  assert.deepEqual(await nextDiff(obs.raw, topic), { joins: { 42: { metas: [{ name: 42, phx_ref: r }] } }, leaves: {} });
  // the string "42" is the same key: a second meta under it
  const raw2 = await openRaw(t, server);
  const second = await joinPresence(raw2, topic, { name: "42" });
  assert.equal(second.state["42"].metas.length, 2);
  const d = await nextDiff(obs.raw, topic);
  const r2 = onlyRef(d.joins, "42");
  assert.deepEqual(d, { joins: { 42: { metas: [{ name: "42", phx_ref: r2 }] } }, leaves: {} });
});

test("88b other scalar keys and keys needing escaping", async (t) => {
  const topic = freshTopic("scalars");
  const names = [true, false, -7, 0, 'quo"te\\', "日本 ✓", "__proto__", "line\nbreak", ""];
  const raws = [];
  for (const name of names) {
    const raw = await openRaw(t, server);
    raws.push(raw);
    await joinPresence(raw, topic, { name });
  }
  const snap = await snapshot(t, server, topic);
  const expectedKeys = names.map((n) => (typeof n === "string" ? n : JSON.stringify(n)));
  assert.deepEqual(Object.keys(snap).sort(), [...expectedKeys].sort());
  for (let i = 0; i < names.length; i++) {
    const metas = snap[expectedKeys[i]].metas;
    assert.equal(metas.length, 1, `metas of ${expectedKeys[i]}`);
    assert.deepEqual(metas[0].name, names[i]);
  }
});

test("88c float key: its string form as JavaScript and Elixir write it", async (t) => {
  // Elixir's to_string(1.5) and JavaScript's String(1.5) are both "1.5".
  const topic = freshTopic("floats");
  const raw = await openRaw(t, server);
  const { state } = await joinPresence(raw, topic, { name: 1.5 });
  assert.deepEqual(Object.keys(state), ["1.5"]);
  assert.equal(state["1.5"].metas[0].name, 1.5);
});

test("89 both sides present in every diff", async (t) => {
  const topic = freshTopic("sides");
  const obs = await observer(t, server, topic);
  const ann = await tracked(t, server, topic, "ann");
  const diffs = [await nextDiff(obs.raw, topic)];
  await push(ann.raw, topic, ann.joinRef, "away");
  diffs.push(await nextDiff(obs.raw, topic));
  await push(ann.raw, topic, ann.joinRef, "untrack");
  diffs.push(await nextDiff(obs.raw, topic));
  await push(ann.raw, topic, ann.joinRef, "track");
  diffs.push(await nextDiff(obs.raw, topic));
  ann.raw.terminate();
  diffs.push(await nextDiff(obs.raw, topic, 5000));
  assert.deepEqual(diffs.map((d) => [Object.keys(d.joins).length > 0, Object.keys(d.leaves).length > 0]),
    [[true, false], [true, true], [false, true], [true, false], [false, true]]);
  for (const d of diffs) assertBothSides(d);
  // and every diff seen by the other tests of this file so far
  assert.ok(allDiffs.length >= diffs.length);
  for (const d of allDiffs) assertBothSides(d);
});

test("90 fetch decoration", async (t) => {
  const topic = `presence:fetch:${process.pid}-${++topicCounter}`;
  const user = (key) => ({ key });
  const obs = await observer(t, server, topic);
  assert.deepEqual(obs.state, {});
  const ann = await openRaw(t, server);
  const joined = await joinPresence(ann, topic, { name: "ann" });
  const r1 = onlyRef(joined.state, "ann");
  assert.deepEqual(joined.state, { ann: { metas: [{ name: "ann", phx_ref: r1 }], user: user("ann") } });
  assert.deepEqual(await nextDiff(obs.raw, topic),
    { joins: { ann: { metas: [{ name: "ann", phx_ref: r1 }], user: user("ann") } }, leaves: {} });

  assert.deepEqual(await push(ann, topic, joined.joinRef, "away"), OK());
  const up = await nextDiff(obs.raw, topic);
  const r2 = onlyRef(up.joins, "ann");
  assert.deepEqual(up, {
    joins: { ann: { metas: [{ name: "ann", away: true, phx_ref: r2, phx_ref_prev: r1 }], user: user("ann") } },
    leaves: { ann: { metas: [{ name: "ann", phx_ref: r1 }], user: user("ann") } },
  });

  const bob = await openRaw(t, server);
  const bj = await joinPresence(bob, topic, { name: 7 });
  const rb = onlyRef(bj.state, "7");
  assert.deepEqual(bj.state, {
    ann: { metas: [{ name: "ann", away: true, phx_ref: r2, phx_ref_prev: r1 }], user: user("ann") },
    7: { metas: [{ name: 7, phx_ref: rb }], user: user("7") },
  });
  assert.deepEqual(await nextDiff(obs.raw, topic), { joins: { 7: { metas: [{ name: 7, phx_ref: rb }], user: user("7") } }, leaves: {} });

  ann.terminate();
  assert.deepEqual(await nextDiff(obs.raw, topic, 5000),
    { joins: {}, leaves: { ann: { metas: [{ name: "ann", away: true, phx_ref: r2, phx_ref_prev: r1 }], user: user("ann") } } });
});

test("90b no decoration outside presence:fetch:*", async (t) => {
  const topic = freshTopic("plain");
  const ann = await openRaw(t, server);
  const joined = await joinPresence(ann, topic, { name: "ann" });
  assert.deepEqual(Object.keys(joined.state.ann), ["metas"]);
  const d = await nextDiff(ann, topic);
  assert.deepEqual(Object.keys(d.joins.ann), ["metas"]);
});

// ---------------------------------------------------------------------------
// Channel lifecycle around presence
// ---------------------------------------------------------------------------

test("duplicate join of a tracked topic replaces its presence", async (t) => {
  const topic = freshTopic("rejoin");
  const obs = await observer(t, server, topic);
  const raw = await openRaw(t, server);
  const first = await joinPresence(raw, topic, { name: "ann" }, "1");
  const r1 = onlyRef(first.state, "ann");
  await nextDiff(obs.raw, topic);
  const second = await joinPresence(raw, topic, { name: "ann" }, "2");
  await take(raw, isEvent(topic, "phx_close"), 3000, "phx_close of the replaced join");
  // the replaced channel's entry is gone before the new one lists the topic
  const r2 = onlyRef(second.state, "ann");
  assert.notEqual(r2, r1);
  assert.deepEqual(second.state, { ann: { metas: [{ name: "ann", phx_ref: r2 }] } });
  // the observer's view converges to the new entry only
  const view = Presence.syncState({}, obs.state);
  await converge(obs.raw, topic, view, (v) => JSON.stringify(refsByKey(v)) === JSON.stringify({ ann: [r2] }), 3000);
  assert.deepEqual(refsByKey(view), { ann: [r2] });
  assert.deepEqual(await snapshot(t, server, topic), { ann: { metas: [{ name: "ann", phx_ref: r2 }] } });
});

test("join immediately followed by a disconnect leaves no presence behind", async (t) => {
  const topic = freshTopic("ghost");
  const obs = await observer(t, server, topic);
  for (let i = 0; i < 10; i++) {
    const raw = await openRaw(t, server);
    raw.send([`g${i}`, `g${i}`, topic, "phx_join", { name: `ghost${i}` }]);
    if (i % 2) await take(raw, isReply(topic, `g${i}`), 3000, "join reply");
    raw.terminate();
  }
  await sleep(500);
  assert.deepEqual(await snapshot(t, server, topic), {}, "entries of closed sockets must not stay listed");
  // whatever the observer saw nets out to nothing
  const view = {};
  for (const f of drain(obs.raw, isDiff(topic))) Presence.syncDiff(view, f[4]);
  assert.deepEqual(view, {});
});

test("leave immediately after joining leaves no presence behind", async (t) => {
  const topic = freshTopic("quick");
  const raw = await openRaw(t, server);
  raw.send(["q1", "q1", topic, "phx_join", { name: "quick" }]);
  raw.send(["q1", "q2", topic, "phx_leave", {}]);
  await take(raw, isReply(topic, "q2"), 3000, "leave reply");
  await sleep(300);
  assert.deepEqual(await snapshot(t, server, topic), {});
});

// ---------------------------------------------------------------------------
// Coalescing window
// ---------------------------------------------------------------------------

/** Applies diffs of `topic` to `view` (phoenix's algorithm) until `done(view)` or `ms` passed. */
async function converge(raw, topic, view, done, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    for (const f of drain(raw, isDiff(topic))) {
      assertBothSides(f[4]);
      Presence.syncDiff(view, f[4]);
    }
    if (done(view) || Date.now() > deadline) return view;
    await sleep(3);
  }
}

/** Collects presence_diffs of `topic` until `count` arrived or `ms` passed (then checks none follow within quietMs). */
async function collectDiffs(raw, topic, count, ms, quietMs = 0) {
  const out = [];
  const deadline = Date.now() + ms;
  while (out.length < count && Date.now() < deadline) {
    const i = raw.queue.findIndex(isDiff(topic));
    if (i >= 0) {
      const f = raw.queue.splice(i, 1)[0];
      assertBothSides(f[4]);
      allDiffs.push(f[4]);
      out.push(f[4]);
    } else {
      await sleep(3);
    }
  }
  if (quietMs) await sleep(quietMs);
  return out;
}

test("window 0: every change is its own presence_diff, in order", async (t) => {
  const topic = freshTopic("w0");
  const obs = await observer(t, server0, topic);
  const ann = await tracked(t, server0, topic, "ann");
  const r1 = ann.ref;
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "away"), OK());
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "track"), OK());
  ann.raw.terminate();
  const diffs = await collectDiffs(obs.raw, topic, 5, 5000, QUIET_MS);
  assert.equal(diffs.length, 5, `diffs: ${JSON.stringify(diffs)}`);
  drain(obs.raw, isDiff(topic)).forEach((f) => assert.fail(`extra diff ${JSON.stringify(f)}`));
  const r2 = onlyRef(diffs[1].joins, "ann");
  const r3 = onlyRef(diffs[3].joins, "ann");
  assert.equal(new Set([r1, r2, r3]).size, 3);
  assert.deepEqual(diffs, [
    { joins: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } }, leaves: {} },
    { joins: { ann: { metas: [{ name: "ann", away: true, phx_ref: r2, phx_ref_prev: r1 }] } },
      leaves: { ann: { metas: [{ name: "ann", phx_ref: r1 }] } } },
    { joins: {}, leaves: { ann: { metas: [{ name: "ann", away: true, phx_ref: r2, phx_ref_prev: r1 }] } } },
    { joins: { ann: { metas: [{ name: "ann", phx_ref: r3 }] } }, leaves: {} },
    { joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: r3 }] } } },
  ]);
});

test("window 0: simultaneous joins give one diff each", async (t) => {
  const topic = freshTopic("w0storm");
  const obs = await observer(t, server0, topic);
  const N = 8;
  const raws = [];
  for (let i = 0; i < N; i++) raws.push(await openRaw(t, server0));
  raws.forEach((raw, i) => raw.send([`s${i}`, `s${i}`, topic, "phx_join", { name: `u${i}` }]));
  const diffs = await collectDiffs(obs.raw, topic, N, 5000, QUIET_MS);
  diffs.push(...drain(obs.raw, isDiff(topic)).map((f) => f[4]));
  assert.equal(diffs.length, N, `one diff per join: ${JSON.stringify(diffs)}`);
  for (const d of diffs) {
    assert.equal(Object.keys(d.joins).length, 1);
    assert.deepEqual(d.leaves, {});
  }
  assert.deepEqual(diffs.map((d) => Object.keys(d.joins)[0]).sort(), raws.map((_, i) => `u${i}`).sort());
});

test("default window: a join storm is coalesced and the observer's list converges", async (t) => {
  const topic = freshTopic("storm");
  const obs = await observer(t, server, topic);
  const view = Presence.syncState({}, obs.state);
  const N = 20;
  const raws = [];
  for (let i = 0; i < N; i++) raws.push(await openRaw(t, server));
  raws.forEach((raw, i) => raw.send([`s${i}`, `s${i}`, topic, "phx_join", { name: `u${i % 15}` }]));
  // u0..u4 have two tabs each: 15 keys, 20 metas
  const diffs = [];
  const deadline = Date.now() + 5000;
  const metaCount = () => Object.values(view).reduce((n, p) => n + p.metas.length, 0);
  while (metaCount() < N && Date.now() < deadline) {
    for (const d of await collectDiffs(obs.raw, topic, 1, 50)) {
      diffs.push(d);
      Presence.syncDiff(view, d);
    }
  }
  await sleep(QUIET_MS);
  for (const f of drain(obs.raw, isDiff(topic))) {
    diffs.push(f[4]);
    Presence.syncDiff(view, f[4]);
  }
  assert.equal(metaCount(), N, `observer saw ${metaCount()} of ${N} metas in ${diffs.length} diffs`);
  assert.ok(diffs.length <= N / 2, `expected far fewer than ${N} diffs, got ${diffs.length}`);
  for (const d of diffs) assert.deepEqual(d.leaves, {});
  // every joining socket got a snapshot
  for (let i = 0; i < N; i++) await take(raws[i], isState(topic), 3000, `presence_state of joiner ${i}`);
  const snap = await snapshot(t, server, topic);
  assert.equal(Object.keys(snap).length, 15);
  assert.deepEqual(refsByKey(view), refsByKey(snap));
  // and the metas themselves are identical
  for (const key of Object.keys(snap)) {
    const byRef = (p) => Object.fromEntries(p.metas.map((m) => [m.phx_ref, m]));
    assert.deepEqual(byRef(view[key]), byRef(snap[key]), `metas of ${key}`);
  }
});

test("default window: a storm of joins and leaves nets out at every observer", async (t) => {
  const topic = freshTopic("churn");
  const obsA = await observer(t, server, topic);
  const obsB = await observer(t, server, topic);
  const viewA = Presence.syncState({}, obsA.state);
  const N = 16;
  const raws = [];
  for (let i = 0; i < N; i++) raws.push(await openRaw(t, server));
  raws.forEach((raw, i) => raw.send([`c${i}`, `c${i}`, topic, "phx_join", { name: `u${i}` }]));
  for (let i = 0; i < N; i++) await take(raws[i], isState(topic), 3000, `presence_state ${i}`);
  // half leave in various ways, one updates
  raws.slice(0, N / 2).forEach((raw, i) => {
    if (i % 3 === 0) raw.terminate();
    else if (i % 3 === 1) raw.send([`c${i}`, `lv${i}`, topic, "phx_leave", {}]);
    else raw.send([`c${i}`, `un${i}`, topic, "untrack", {}]);
  });
  raws[N - 1].send([`c${N - 1}`, "aw", topic, "away", {}]);
  await take(raws[N - 1], isReply(topic, "aw"), 3000, "away reply");
  await sleep(QUIET_MS);
  const snap = await snapshot(t, server, topic);
  await sleep(QUIET_MS);
  const diffsA = drain(obsA.raw, isDiff(topic)).map((f) => f[4]);
  const diffsB = drain(obsB.raw, isDiff(topic)).map((f) => f[4]);
  for (const d of diffsA) Presence.syncDiff(viewA, d);
  assert.deepEqual(diffsB, diffsA, "observers on one node receive the same diffs");
  assert.deepEqual(Object.keys(snap).sort(), raws.slice(N / 2).map((_, i) => `u${i + N / 2}`).sort());
  assert.deepEqual(refsByKey(viewA), refsByKey(snap));
  assert.equal(snap[`u${N - 1}`].metas[0].away, true);
  assert.equal(viewA[`u${N - 1}`].metas[0].away, true);
  assert.ok(diffsA.length < 2 * N, `coalesced: ${diffsA.length} diffs`);
});

test("a track and untrack inside one window produce no diff for that ref", async (t) => {
  // `track` pushes no snapshot, so nobody has seen the new entry: it may vanish silently.
  const topic = freshTopic("flash");
  const obs = await observer(t, serverSlow, topic);
  const x = await tracked(t, serverSlow, topic, "x");
  await nextDiff(obs.raw, topic);
  assert.deepEqual(await push(x.raw, topic, x.joinRef, "untrack"), OK());
  const leftDiff = { joins: {}, leaves: { x: { metas: [{ name: "x", phx_ref: x.ref }] } } };
  assert.deepEqual(await nextDiff(obs.raw, topic), leftDiff);
  // x's own copy of that leave may still be in flight: wait for it rather than drain,
  // or it would be counted among the next window's diffs below.
  assert.deepEqual(await nextDiff(x.raw, topic), leftDiff);
  const stay = await openRaw(t, serverSlow);
  // "stay" joins in the same window, so a diff does go out: it must not mention "x"
  stay.send(["s", "s", topic, "phx_join", { name: "stay" }]);
  assert.deepEqual(await push(x.raw, topic, x.joinRef, "track"), OK());
  assert.deepEqual(await push(x.raw, topic, x.joinRef, "untrack"), OK());
  const diffs = await collectDiffs(obs.raw, topic, 1, 3000, 600);
  diffs.push(...drain(obs.raw, isDiff(topic)).map((f) => f[4]));
  assert.equal(diffs.length, 1, `one diff for the window: ${JSON.stringify(diffs)}`);
  // If stay's snapshot was taken after x's track it already showed x, so x's leave must
  // then go out too (with its join: the net effect for everybody is "x absent").
  // Otherwise x is not mentioned at all.
  const joinKeys = Object.keys(diffs[0].joins).sort();
  if (joinKeys.includes("x")) {
    assert.deepEqual(joinKeys, ["stay", "x"]);
    assert.deepEqual(diffs[0].leaves.x.metas.map((m) => m.phx_ref), diffs[0].joins.x.metas.map((m) => m.phx_ref));
    assert.deepEqual(Object.keys(diffs[0].leaves), ["x"]);
  } else {
    assert.deepEqual(joinKeys, ["stay"]);
    assert.deepEqual(diffs[0].leaves, {});
  }
  const view = Presence.syncDiff({}, diffs[0]);
  assert.deepEqual(Object.keys(view), ["stay"]);
  const own = drain(x.raw, isDiff(topic)).map((f) => f[4]);
  assert.deepEqual(own, diffs, "the socket itself gets the same diff");
  assert.deepEqual(Object.keys(await snapshot(t, serverSlow, topic)), ["stay"]);
});

// A snapshot taken while the window is open lists every entry tracked so far. If such an
// entry leaves within the same window, the subscribers holding that snapshot must still
// learn about the leave, or they show the entry for good.
async function ghostAfterSnapshot(t, srv, how) {
  const topic = freshTopic(`ghost-${how}`);
  const obs = await observer(t, srv, topic);
  const x = await openRaw(t, srv);
  const xj = await joinPresence(x, topic, { name: "ghost" });
  const ref = onlyRef(xj.state, "ghost");
  const late = await observer(t, srv, topic); // its snapshot contains the ghost
  assert.deepEqual(refsByKey(late.state), { ghost: [ref] });
  if (how === "untrack") assert.deepEqual(await push(x, topic, xj.joinRef, "untrack"), OK());
  else x.terminate();
  await sleep(Math.max(600, QUIET_MS));
  assert.deepEqual(await snapshot(t, srv, topic), {});
  const views = { observer: Presence.syncState({}, obs.state), late: Presence.syncState({}, late.state) };
  for (const f of drain(obs.raw, isDiff(topic))) Presence.syncDiff(views.observer, f[4]);
  for (const f of drain(late.raw, isDiff(topic))) Presence.syncDiff(views.late, f[4]);
  if (how === "untrack") {
    views.self = Presence.syncState({}, xj.state);
    for (const f of drain(x, isDiff(topic))) Presence.syncDiff(views.self, f[4]);
  }
  for (const [who, v] of Object.entries(views)) {
    assert.deepEqual(refsByKey(v), {}, `${who}: the list built from its snapshot and the diffs still shows ${JSON.stringify(refsByKey(v))}`);
  }
}

test("a presence seen in a snapshot and gone within the same window is removed everywhere (untrack)", async (t) => {
  await ghostAfterSnapshot(t, serverSlow, "untrack");
});

test("a presence seen in a snapshot and gone within the same window is removed everywhere (disconnect)", async (t) => {
  await ghostAfterSnapshot(t, serverSlow, "disconnect");
});

test("join storm with quick disconnects: late joiners' lists match the server (default window)", async (t) => {
  const topic = freshTopic("stormghost");
  const N = 12;
  const raws = [];
  for (let i = 0; i < N; i++) raws.push(await openRaw(t, server));
  const joined = [];
  // everyone joins at once; every third socket disconnects as soon as it has its snapshot
  await Promise.all(raws.map(async (raw, i) => {
    const j = await joinPresence(raw, topic, { name: `u${i}` });
    joined[i] = j;
    if (i % 3 === 0) raw.terminate();
  }));
  await sleep(QUIET_MS * 2);
  const snap = await snapshot(t, server, topic);
  const expectedKeys = raws.map((_, i) => `u${i}`).filter((_, i) => i % 3 !== 0).sort();
  assert.deepEqual(Object.keys(snap).sort(), expectedKeys);
  for (let i = 0; i < N; i++) {
    if (i % 3 === 0) continue;
    const v = Presence.syncState({}, joined[i].state);
    for (const f of drain(raws[i], isDiff(topic))) Presence.syncDiff(v, f[4]);
    assert.deepEqual(refsByKey(v), refsByKey(snap), `socket u${i}: list built from its snapshot and diffs`);
  }
});

test("an update followed by untrack inside one window leaves the version clients knew", async (t) => {
  const topic = freshTopic("upleave");
  const obs = await observer(t, serverSlow, topic);
  const ann = await tracked(t, serverSlow, topic, "ann");
  assert.deepEqual(await nextDiff(obs.raw, topic), { joins: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } }, leaves: {} });
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "away"), OK());
  assert.deepEqual(await push(ann.raw, topic, ann.joinRef, "untrack"), OK());
  const diffs = await collectDiffs(obs.raw, topic, 1, 3000, 600);
  diffs.push(...drain(obs.raw, isDiff(topic)).map((f) => f[4]));
  assert.deepEqual(diffs, [{ joins: {}, leaves: { ann: { metas: [{ name: "ann", phx_ref: ann.ref }] } } }]);
});

test("a diff arrives within about one window of the change", async (t) => {
  const topic = freshTopic("latency");
  const obs = await observer(t, server, topic);
  const raw = await openRaw(t, server);
  const start = Date.now();
  await joinPresence(raw, topic, { name: "ann" });
  await nextDiff(obs.raw, topic, 1000);
  const took = Date.now() - start;
  assert.ok(took < 500, `diff after ${took} ms`);
});
