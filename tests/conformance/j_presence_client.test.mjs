// Item 127 and more: the official client's `Presence` object (phoenix 1.8.16) against
// the fixture's `presence:*` channel. Every client records, in delivery order, the
// frames its Presence saw and every onJoin/onLeave/onSync call (with copies of the
// arguments), so each step can be checked callback by callback; lists are compared by
// keys and by their metas' phx_refs and fields.
//
// The steps run on a server with the default 25 ms diff window and on one with
// `--presence-window-ms 0` (one diff per change, like Phoenix).
import assert from "node:assert/strict";
import { Socket, Presence } from "phoenix";
import { useServer, test, openRaw, sleep, WebSocket } from "./harness.mjs";
import { waitFor, joinOk, pushResult } from "./client.mjs";

const server = useServer();
const server0 = useServer({ args: ["--presence-window-ms", "0"] });

let counter = 0;
const freshTopic = (name) => `presence:${name}-${process.pid}-${++counter}`;
const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
const isFrame = (f) => Array.isArray(f) && f.length === 5;

/**
 * A phoenix Socket + channel + Presence on `topic`. Its transport records frames as they
 * are handed to the client; `hold.state` > 0 delays presence_state frames by that many
 * milliseconds (other frames overtake them), to make diffs arrive before the snapshot.
 */
function client(t, srv, topic, { name, userId } = {}) {
  const delivered = []; // frames as the client received them, in order
  const sent = [];
  const hold = { state: 0 };
  class Transport extends WebSocket {
    set onmessage(fn) {
      super.onmessage = (ev) => {
        let f = null;
        try { f = JSON.parse(ev.data); } catch { /* not JSON */ }
        const deliver = () => { delivered.push(f); fn(ev); };
        if (hold.state > 0 && isFrame(f) && f[3] === "presence_state") setTimeout(deliver, hold.state);
        else deliver();
      };
    }
    get onmessage() { return super.onmessage; }
    send(data, ...rest) {
      try { sent.push(JSON.parse(data)); } catch { /* binary */ }
      return super.send(data, ...rest);
    }
  }
  const socket = new Socket(`${srv.wsBase}/socket`, {
    transport: Transport,
    params: userId ? { user_id: userId } : {},
    reconnectAfterMs: () => 20,
    rejoinAfterMs: () => 50,
  });
  t.cleanup(() => socket.disconnect());
  const ch = socket.channel(topic, name === undefined ? {} : { name });
  const presence = new Presence(ch);
  const c = { socket, ch, presence, delivered, sent, hold, events: [], syncs: 0, topic, name };
  presence.onJoin((key, current, joined) => c.events.push({ type: "join", key, current: clone(current), joined: clone(joined) }));
  presence.onLeave((key, current, left) => c.events.push({ type: "leave", key, current: clone(current), left: clone(left) }));
  presence.onSync(() => {
    c.syncs++;
    c.events.push({ type: "sync", list: view(presence) });
  });
  c.mark = () => ({ events: c.events.length, syncs: c.syncs, delivered: c.delivered.length });
  c.eventsSince = (m) => c.events.slice(m.events);
  c.diffsSince = (m) => c.delivered.slice(m.delivered).filter((f) => isFrame(f) && f[2] === topic && f[3] === "presence_diff");
  c.list = () => view(presence);
  return c;
}

/** {key: [meta, ...]} from presence.list(), metas in the client's order. */
function view(presence) {
  return Object.fromEntries(presence.list((key, p) => [key, clone(p.metas)]));
}

/** {key: [phx_ref, ...]} of a list (client order). */
const refs = (list) => Object.fromEntries(Object.entries(list).map(([k, metas]) => [k, metas.map((m) => m.phx_ref)]));
/** The same, refs sorted and keys sorted: order-insensitive comparison. */
function canon(list) {
  const out = {};
  for (const k of Object.keys(list).sort()) out[k] = [...list[k]].sort((a, b) => (a.phx_ref < b.phx_ref ? -1 : 1));
  return out;
}

/** Waits until a client has received no frame for `quietMs` (bounded by `ms`). */
async function quiet(clients, quietMs = 150, ms = 5000) {
  const deadline = Date.now() + ms;
  let last = clients.map((c) => c.delivered.length);
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(10);
    const now = clients.map((c) => c.delivered.length);
    if (now.some((n, i) => n !== last[i])) { last = now; since = Date.now(); }
    else if (Date.now() - since >= quietMs) return;
  }
  assert.fail(`clients kept receiving frames for ${ms} ms`);
}

/** The topic's snapshot from a raw socket joined without name: {key: [meta...]}. */
async function snapshot(t, srv, topic) {
  const raw = await openRaw(t, srv);
  const ref = `s${++counter}`;
  raw.send([ref, ref, topic, "phx_join", {}]);
  await raw.expect([ref, ref, topic, "phx_reply", { response: {}, status: "ok" }], 3000);
  const f = await raw.next(3000);
  assert.equal(f[3], "presence_state", `snapshot frame ${JSON.stringify(f)}`);
  raw.terminate();
  return Object.fromEntries(Object.entries(f[4]).map(([k, p]) => [k, p.metas]));
}

/** Joins and waits for the first onSync (the snapshot applied). */
async function joinSynced(c, ms = 3000) {
  c.socket.connect();
  await joinOk(c.ch);
  await waitFor(() => c.syncs >= 1, ms, `first onSync of ${c.name ?? "observer"}`);
}

/** Asserts onSync fired exactly once per presence_diff delivered since mark `m` (no snapshot in between). */
function assertOneSyncPerDiff(c, m, what) {
  const diffs = c.diffsSince(m).length;
  assert.equal(c.syncs - m.syncs, diffs, `${what}: ${c.syncs - m.syncs} onSync calls for ${diffs} diffs`);
}

const meta = (name, ref, extra = {}) => ({ name, ...extra, phx_ref: ref });

// ---------------------------------------------------------------------------
// Item 127, step by step
// ---------------------------------------------------------------------------

async function stepByStep(t, srv) {
  const topic = freshTopic("lobby");

  // 1. ann joins: the snapshot reaches list() with one onSync; her own join diff follows
  const ann = client(t, srv, topic, { name: "ann" });
  await joinSynced(ann);
  const r1 = ann.list().ann?.[0]?.phx_ref;
  assert.equal(typeof r1, "string");
  assert.deepEqual(ann.list(), { ann: [meta("ann", r1)] });
  // the snapshot's synthetic join comes first; the first onSync already shows the list
  assert.deepEqual(ann.events[0], { type: "join", key: "ann", current: undefined, joined: { metas: [meta("ann", r1)] } });
  assert.deepEqual(ann.events.find((e) => e.type === "sync"), { type: "sync", list: { ann: [meta("ann", r1)] } });
  await waitFor(() => ann.diffsSince({ delivered: 0 }).length >= 1, 2000, "ann's own join diff");
  await quiet([ann]);
  // onSync: once for the snapshot, once per diff delivered after it (diffs before it are buffered)
  const stateAt = ann.delivered.findIndex((f) => isFrame(f) && f[3] === "presence_state");
  const diffsAfter = ann.delivered.slice(stateAt + 1).filter((f) => isFrame(f) && f[3] === "presence_diff").length;
  assert.equal(ann.syncs, 1 + diffsAfter);
  assert.deepEqual(ann.list(), { ann: [meta("ann", r1)] }, "the own join diff does not duplicate the meta");
  for (const e of ann.events.slice(1)) {
    if (e.type === "join") assert.deepEqual(e, { type: "join", key: "ann", current: { metas: [meta("ann", r1)] }, joined: { metas: [meta("ann", r1)] } });
    else assert.deepEqual(e, { type: "sync", list: { ann: [meta("ann", r1)] } });
  }

  // 2. bob joins
  let m = ann.mark();
  const bob = client(t, srv, topic, { name: "bob" });
  await joinSynced(bob);
  await waitFor(() => ann.list().bob, 2000, "bob in ann's list");
  await quiet([ann, bob]);
  const rb = ann.list().bob[0].phx_ref;
  assert.notEqual(rb, r1);
  assert.deepEqual(ann.eventsSince(m), [
    { type: "join", key: "bob", current: undefined, joined: { metas: [meta("bob", rb)] } },
    { type: "sync", list: { ann: [meta("ann", r1)], bob: [meta("bob", rb)] } },
  ]);
  assertOneSyncPerDiff(ann, m, "bob's join at ann");
  assert.deepEqual(canon(bob.list()), canon({ ann: [meta("ann", r1)], bob: [meta("bob", rb)] }));

  // 3. a second tab of ann
  m = ann.mark();
  let mb = bob.mark();
  const tab2 = client(t, srv, topic, { name: "ann" });
  await joinSynced(tab2);
  await waitFor(() => ann.list().ann.length === 2 && bob.list().ann.length === 2, 2000, "ann's second meta");
  await quiet([ann, bob, tab2]);
  const r2 = ann.list().ann[1].phx_ref;
  assert.ok(![r1, rb].includes(r2));
  const twoTabs = { ann: [meta("ann", r1), meta("ann", r2)], bob: [meta("bob", rb)] };
  for (const [c, mk] of [[ann, m], [bob, mb]]) {
    assert.deepEqual(c.eventsSince(mk), [
      { type: "join", key: "ann", current: { metas: [meta("ann", r1)] }, joined: { metas: [meta("ann", r2)] } },
      { type: "sync", list: twoTabs },
    ], `second tab as seen by ${c.name}`);
    assertOneSyncPerDiff(c, mk, `second tab at ${c.name}`);
  }
  assert.deepEqual(canon(tab2.list()), canon(twoTabs));

  // 4. the second tab goes away (update): one diff, join then leave, one onSync
  m = ann.mark();
  mb = bob.mark();
  assert.deepEqual(await pushResult(tab2.ch, "away", {}), { status: "ok", response: {} });
  await waitFor(() => ann.list().ann?.[1]?.away && bob.list().ann?.[1]?.away, 2000, "the update at ann and bob");
  await quiet([ann, bob, tab2]);
  const r3 = ann.list().ann[1].phx_ref;
  assert.ok(![r1, r2, rb].includes(r3));
  const away = meta("ann", r3, { away: true, phx_ref_prev: r2 });
  const afterUpdate = { ann: [meta("ann", r1), away], bob: [meta("bob", rb)] };
  for (const [c, mk] of [[ann, m], [bob, mb]]) {
    assert.deepEqual(c.eventsSince(mk), [
      { type: "join", key: "ann", current: { metas: [meta("ann", r1), meta("ann", r2)] }, joined: { metas: [away] } },
      { type: "leave", key: "ann", current: { metas: [meta("ann", r1), away] }, left: { metas: [meta("ann", r2)] } },
      { type: "sync", list: afterUpdate },
    ], `update as seen by ${c.name}`);
    assertOneSyncPerDiff(c, mk, `update at ${c.name}`);
  }
  assert.deepEqual(canon(tab2.list()), canon(afterUpdate));

  // 5. the second tab leaves its channel
  m = ann.mark();
  mb = bob.mark();
  await new Promise((resolve) => tab2.ch.leave().receive("ok", resolve).receive("timeout", resolve));
  await waitFor(() => ann.list().ann.length === 1 && bob.list().ann.length === 1, 2000, "the second tab's leave");
  await quiet([ann, bob]);
  const afterLeave = { ann: [meta("ann", r1)], bob: [meta("bob", rb)] };
  for (const [c, mk] of [[ann, m], [bob, mb]]) {
    assert.deepEqual(c.eventsSince(mk), [
      { type: "leave", key: "ann", current: { metas: [meta("ann", r1)] }, left: { metas: [away] } },
      { type: "sync", list: afterLeave },
    ], `leave as seen by ${c.name}`);
    assertOneSyncPerDiff(c, mk, `leave at ${c.name}`);
  }

  // 6. bob's socket disconnects: his key disappears with his last meta
  m = ann.mark();
  bob.socket.disconnect();
  await waitFor(() => !ann.list().bob, 3000, "bob's leave");
  await quiet([ann]);
  assert.deepEqual(ann.eventsSince(m), [
    { type: "leave", key: "bob", current: { metas: [] }, left: { metas: [meta("bob", rb)] } },
    { type: "sync", list: { ann: [meta("ann", r1)] } },
  ]);
  assertOneSyncPerDiff(ann, m, "bob's disconnect at ann");

  // 7. ann's channel crashes; an observer sees her leave and, after the client's
  //    automatic rejoin, her new entry; ann's own Presence resyncs from the new snapshot
  const obs = client(t, srv, topic);
  await joinSynced(obs);
  await quiet([ann, obs]);
  assert.deepEqual(obs.list(), { ann: [meta("ann", r1)] });
  m = ann.mark();
  const mo = obs.mark();
  const oldJoinRef = ann.ch.joinRef();
  ann.ch.push("boom", {});
  await waitFor(() => ann.ch.joinRef() !== oldJoinRef && ann.ch.state === "joined", 5000, "ann's channel rejoined");
  await waitFor(() => ann.list().ann?.[0]?.phx_ref !== r1 && obs.list().ann?.[0]?.phx_ref !== undefined
    && obs.list().ann[0].phx_ref !== r1, 3000, "ann's new entry");
  await quiet([ann, obs]);
  const r4 = obs.list().ann[0].phx_ref;
  assert.ok(![r1, r2, r3, rb].includes(r4));
  assert.deepEqual(obs.list(), { ann: [meta("ann", r4)] });
  assert.deepEqual(ann.list(), { ann: [meta("ann", r4)] });
  const oe = obs.eventsSince(mo);
  assert.ok(oe.some((e) => e.type === "leave" && e.key === "ann" && e.left.metas.length === 1 && e.left.metas[0].phx_ref === r1),
    `observer saw ann's old meta leave: ${JSON.stringify(oe)}`);
  assert.ok(oe.some((e) => e.type === "join" && e.key === "ann" && e.joined.metas.some((x) => x.phx_ref === r4)),
    `observer saw ann's new meta join: ${JSON.stringify(oe)}`);
  assertOneSyncPerDiff(obs, mo, "crash and rejoin at the observer");
  // ann: the new snapshot replaced r1 by r4 (synthetic join, then leave), one onSync for it
  const ae = ann.eventsSince(m);
  const firstSync = ae.findIndex((e) => e.type === "sync");
  assert.ok(firstSync >= 2, `ann's resync: ${JSON.stringify(ae)}`);
  assert.deepEqual(ae[0], { type: "join", key: "ann", current: { metas: [meta("ann", r1)] }, joined: { metas: [meta("ann", r4)] } });
  assert.deepEqual(ae[1], { type: "leave", key: "ann", current: { metas: [meta("ann", r4)] }, left: { metas: [meta("ann", r1)] } });
  for (const e of ae.slice(firstSync)) if (e.type === "sync") assert.deepEqual(e.list, { ann: [meta("ann", r4)] });
  // whatever came between (buffered own diff) only repeats r4 or removes r1 again
  for (const e of ae.slice(2, firstSync)) {
    const metas = e.type === "join" ? e.joined.metas : e.left.metas;
    assert.ok(metas.every((x) => x.phx_ref === (e.type === "join" ? r4 : r1)), `unexpected ${JSON.stringify(e)}`);
  }

  // every Presence agrees with a fresh snapshot
  const snap = await snapshot(t, srv, topic);
  assert.deepEqual(canon(snap), canon(ann.list()));
  assert.deepEqual(canon(snap), canon(obs.list()));
}

test("127 Presence: list/onJoin/onLeave/onSync through joins, second tab, update, leave, disconnect, crash", async (t) => {
  await stepByStep(t, server);
});

test("127 Presence step by step with one diff per change (window 0)", async (t) => {
  await stepByStep(t, server0);
});

// ---------------------------------------------------------------------------
// Convergence of several clients
// ---------------------------------------------------------------------------

async function converge(t, srv) {
  const topic = freshTopic("crowd");
  const names = ["ann", "bob", "ann", "cid", "dee", "bob", "eve"];
  const clients = names.map((name, i) => client(t, srv, topic, { name, userId: `crowd${counter}_${i}` }));
  const watcher = client(t, srv, topic);
  await joinSynced(watcher);
  // everyone joins at once
  await Promise.all(clients.map((c) => joinSynced(c)));
  // a burst of changes without waiting in between
  clients[0].ch.push("away", {});
  clients[1].ch.push("untrack", {});
  clients[2].ch.leave();
  clients[3].socket.disconnect();
  clients[4].ch.push("boom", {}); // crash: the client rejoins by itself
  clients[5].ch.push("away", {});
  clients[1].ch.push("track", {});
  await srv.broadcastOk(`user_socket:${clients[6].socket.params().user_id}`, "disconnect", {}); // forced: reconnects and rejoins
  const live = [watcher, clients[0], clients[1], clients[4], clients[5], clients[6]];
  // wait until every live client agrees with the server
  let snap;
  const deadline = Date.now() + 8000;
  for (;;) {
    await quiet(live, 200);
    snap = canon(await snapshot(t, srv, topic));
    const ok = live.every((c) => JSON.stringify(canon(c.list())) === JSON.stringify(snap));
    if (ok || Date.now() > deadline) break;
  }
  for (const [i, c] of live.entries()) assert.deepEqual(canon(c.list()), snap, `client ${i} (${c.name ?? "watcher"}) disagrees with the snapshot`);
  assert.deepEqual(Object.keys(snap), ["ann", "bob", "dee", "eve"]);
  assert.equal(snap.ann.length, 1);
  assert.equal(snap.ann[0].away, true);
  assert.equal(snap.bob.length, 2);
  assert.equal(snap.bob.filter((x) => x.away).length, 1);
  // no meta ever duplicated in any client's list
  for (const c of live) {
    for (const e of c.events.filter((x) => x.type === "sync")) {
      for (const metas of Object.values(e.list)) {
        const rs = metas.map((x) => x.phx_ref);
        assert.equal(new Set(rs).size, rs.length, `duplicate meta in ${JSON.stringify(e.list)}`);
      }
    }
  }
}

test("several clients converge to the same list (default window)", async (t) => {
  await converge(t, server);
});

test("several clients converge to the same list (window 0)", async (t) => {
  await converge(t, server0);
});

// ---------------------------------------------------------------------------
// Diffs before the snapshot after a rejoin (presence.md §5.7 f)
// ---------------------------------------------------------------------------

async function diffsBeforeState(t, srv) {
  const topic = freshTopic("rejoin");
  const userId = `rj${counter}`;
  const ann = client(t, srv, topic, { name: "ann", userId });
  const bob = client(t, srv, topic, { name: "bob" });
  await joinSynced(ann);
  await joinSynced(bob);
  await quiet([ann, bob]);
  const r1 = ann.list().ann[0].phx_ref;
  const rb = ann.list().bob[0].phx_ref;

  // From now on ann's presence_state frames arrive 400 ms late; the forced disconnect
  // makes her client reconnect and rejoin with a new join_ref.
  ann.hold.state = 400;
  const oldJoinRef = ann.ch.joinRef();
  await srv.broadcastOk(`user_socket:${userId}`, "disconnect", {});
  await waitFor(() => ann.ch.state === "joined" && ann.ch.joinRef() !== oldJoinRef, 3000, "ann rejoined");
  const m = ann.mark();
  // changes while ann's snapshot is held back
  assert.deepEqual(await pushResult(bob.ch, "away", {}), { status: "ok", response: {} });
  const cid = client(t, srv, topic, { name: "cid" });
  await joinSynced(cid);
  const seen = (pred) => ann.diffsSince(m).some((f) => pred(f[4]));
  await waitFor(() => seen((d) => d.joins.cid) && seen((d) => d.joins.bob?.metas?.[0]?.away), 2000,
    "diffs with bob's update and cid's join delivered to ann");
  const stateBefore = ann.delivered.slice(m.delivered).some((f) => isFrame(f) && f[3] === "presence_state");
  const syncsWhileHeld = ann.syncs - m.syncs;
  const eventsWhileHeld = ann.eventsSince(m).length;
  // the snapshot arrives; everything buffered is applied, with one onSync
  await waitFor(() => ann.syncs > m.syncs, 3000, "ann's onSync after the held snapshot");
  await quiet([ann, bob, cid], 200);
  ann.hold.state = 0;
  assert.equal(stateBefore, false, "the snapshot was held back");
  assert.equal(syncsWhileHeld, 0, "no onSync while the Presence waits for its snapshot");
  assert.equal(eventsWhileHeld, 0, "no onJoin/onLeave while the Presence waits for its snapshot");
  const since = ann.delivered.slice(m.delivered).filter((f) => isFrame(f) && f[2] === topic);
  const stateIdx = since.findIndex((f) => f[3] === "presence_state");
  assert.ok(stateIdx >= 1, `diffs came first: ${JSON.stringify(since.map((f) => f[3]))}`);
  const laterDiffs = since.slice(stateIdx + 1).filter((f) => f[3] === "presence_diff").length;
  assert.equal(ann.syncs - m.syncs, 1 + laterDiffs, "one onSync for the snapshot and its buffered diffs");
  const syncEvents = ann.eventsSince(m).filter((e) => e.type === "sync");
  // the first onSync already shows the final state: snapshot plus buffered diffs
  const snap = await snapshot(t, srv, topic);
  assert.deepEqual(canon(syncEvents[0].list), canon(snap));
  assert.deepEqual(canon(ann.list()), canon(snap));
  assert.deepEqual(canon(bob.list()), canon(snap));
  assert.deepEqual(canon(cid.list()), canon(snap));
  // ann's old entry left, her new one and cid joined, bob is away; no duplicates
  assert.deepEqual(Object.keys(snap).sort(), ["ann", "bob", "cid"]);
  assert.equal(snap.ann.length, 1);
  assert.notEqual(snap.ann[0].phx_ref, r1);
  assert.equal(snap.bob.length, 1);
  assert.notEqual(snap.bob[0].phx_ref, rb);
  assert.equal(snap.bob[0].away, true);
  const ae = ann.eventsSince(m);
  assert.ok(ae.some((e) => e.type === "leave" && e.key === "ann" && e.left.metas.some((x) => x.phx_ref === r1)), "ann's old meta left");
  assert.ok(ae.some((e) => e.type === "join" && e.key === "cid"), "cid joined");
}

test("diffs that arrive before the snapshot after a rejoin are buffered, then applied (default window)", async (t) => {
  await diffsBeforeState(t, server);
});

test("diffs that arrive before the snapshot after a rejoin are buffered, then applied (window 0)", async (t) => {
  await diffsBeforeState(t, server0);
});

// ---------------------------------------------------------------------------
// Snapshot after every join; fetch extras
// ---------------------------------------------------------------------------

test("presence_state after every rejoin: onSync fires again after a reconnect", async (t) => {
  const topic = freshTopic("again");
  const userId = `again${counter}`;
  const ann = client(t, server, topic, { name: "ann", userId });
  await joinSynced(ann);
  await quiet([ann]);
  for (let round = 0; round < 3; round++) {
    const m = ann.mark();
    const joinRef = ann.ch.joinRef();
    await server.broadcastOk(`user_socket:${userId}`, "disconnect", {});
    await waitFor(() => ann.ch.state === "joined" && ann.ch.joinRef() !== joinRef, 3000, `rejoin ${round}`);
    await waitFor(() => ann.syncs > m.syncs, 3000, `onSync after rejoin ${round}`);
    await quiet([ann]);
    const states = ann.delivered.slice(m.delivered).filter((f) => isFrame(f) && f[3] === "presence_state");
    assert.equal(states.length, 1, `one snapshot per rejoin (round ${round})`);
    assert.equal(states[0][0], ann.ch.joinRef(), "the snapshot carries the new join_ref");
    const snap = await snapshot(t, server, topic);
    assert.deepEqual(canon(ann.list()), canon(snap));
    assert.equal(snap.ann.length, 1, "the old entry is gone");
  }
});

test("fetch extras reach the client's presences and follow the latest joining diff", async (t) => {
  const topic = `presence:fetch:${process.pid}-${++counter}`;
  const ann = client(t, server, topic, { name: "ann" });
  const bob = client(t, server, topic, { name: "bob" });
  await joinSynced(ann);
  await joinSynced(bob);
  await quiet([ann, bob]);
  for (const c of [ann, bob]) {
    const full = Object.fromEntries(c.presence.list((k, p) => [k, clone(p)]));
    assert.deepEqual(Object.keys(full).sort(), ["ann", "bob"]);
    for (const k of ["ann", "bob"]) assert.deepEqual(full[k].user, { key: k });
  }
  let joinedWithUser = 0;
  ann.presence.onJoin((key, current, joined) => { if (joined.user?.key === key) joinedWithUser++; });
  assert.deepEqual(await pushResult(bob.ch, "away", {}), { status: "ok", response: {} });
  await waitFor(() => ann.list().bob?.[0]?.away, 2000, "bob away at ann");
  assert.ok(joinedWithUser >= 1, "the joining side of the update carried the fetch extra");
  const full = Object.fromEntries(ann.presence.list((k, p) => [k, clone(p)]));
  assert.deepEqual(full.bob.user, { key: "bob" });
});
