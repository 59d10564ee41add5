// SIGTERM in the middle of collaborative editing is a graceful restart: 6 editors keep
// typing into one challenge while the server gets SIGTERM. The server stops accepting at
// once (a TCP connection attempted while it drains is refused), closes every joined socket
// with 1012 (service restart) so the phoenix client reconnects, finishes the saves it has
// started before it closes the database, and exits with status 0 within the drain bound.
// Restarted on the same data dir (or PostgreSQL database), it has every change it
// acknowledged; the editors reconnect, push what they still hold and converge, and the
// stored history replays to the stored text. SQLite and PostgreSQL.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { ChangeSet, Text } from "@codemirror/state";
import { startPair, startPostgres, Socket, WebSocket, waitOpen, waitFor, withTimeout, uniqueEmail, sleep, push, HOST }
  from "./pair_harness.mjs";
import { createChallenge, fetchChallenge } from "./channel_helpers.mjs";
import { CollabPeer, converge } from "./collab_peer.mjs";

const EDITORS = 6;
// Endpoint's drain timeout is 5 s; the rest is slack for a loaded machine and for the
// saves the workers finish before the store closes.
const EXIT_BOUND_MS = 15000;
const START_TEXT = "// drain\n";
const MARK_RE = /<e\d+#\d+>/g;

const cleanups = [];
after(async () => { for (const fn of cleanups.reverse()) await fn(); });

/** The marks inserted by one acknowledged push (ChangeSet JSON: retains and [len, ...lines]). */
function insertedMarks(updates) {
  const out = [];
  for (const u of updates) for (const part of u.changes) {
    if (Array.isArray(part)) for (const m of part.slice(1).join("\n").matchAll(MARK_RE)) out.push(m[0]);
  }
  return out;
}

/** Where a mark may go without splitting another: the ends and after every ">". */
function freeSpots(doc) {
  const spots = [0, doc.length];
  for (let i = doc.indexOf(">"); i !== -1; i = doc.indexOf(">", i + 1)) spots.push(i + 1);
  return spots;
}

/** Resolves "refused" when a TCP connection to the port is refused, "accepted" otherwise. */
function tryConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: HOST, port });
    const done = (what) => { s.destroy(); resolve(what); };
    s.once("connect", () => done("accepted"));
    s.once("error", (e) => done(e.code === "ECONNREFUSED" ? "refused" : `error ${e.code}`));
    s.setTimeout(5000, () => done("timeout"));
  });
}

/**
 * A WebSocket that completes the upgrade and then never answers anything, not even the
 * server's close frame: the server keeps draining it until its close linger runs out, so
 * the process is certainly still alive while we test that it refuses new connections.
 */
function silentWebSocket(port, token) {
  return withTimeout(new Promise((resolve, reject) => {
    // allowHalfOpen: the server's FIN after its close frame must not make us close too.
    const s = net.connect({ host: HOST, port, allowHalfOpen: true }, () => {
      s.write(`GET /socket/websocket?vsn=2.0.0&token=${encodeURIComponent(token)} HTTP/1.1\r\n` +
        `Host: ${HOST}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    });
    let head = "";
    const onData = (chunk) => {
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n")) return;
      s.off("data", onData);
      s.on("data", () => { /* read and ignore, so the server's writes never block */ });
      if (head.startsWith("HTTP/1.1 101")) resolve(s);
      else reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
    };
    s.on("data", onData);
    s.on("error", () => { /* the server goes away at the end */ });
  }), 10000, "silent websocket upgrade");
}

/** An editor on its own reconnecting socket; `codes` collects the close codes it sees. */
async function editor(pair, challengeId, i) {
  const user = await pair.signUp(`Editor${i}`, uniqueEmail(`editor${i}`), "correct horse battery");
  // Our own socket (not the harness's), reconnecting quickly, so it outlives the restart.
  const socket = new Socket(pair.socketUrl, {
    transport: WebSocket, params: { token: user.token }, reconnectAfterMs: () => 200, rejoinAfterMs: () => 200,
    heartbeatIntervalMs: 30000,
  });
  const codes = [];
  socket.onClose((event) => codes.push(event.code));
  socket.connect();
  await waitOpen(socket);
  const peer = await new CollabPeer(socket, challengeId, { pushTimeoutMs: 1500 }).join();
  return { peer, socket, codes };
}

/** Types a unique mark every 15–45 ms until `state.editing` turns false; records each in `state.typed`. */
async function keepTyping(peer, i, state) {
  let n = 0;
  while (state.editing) {
    const spots = freeSpots(peer.doc);
    const mark = `<e${i}#${n}>`;
    peer.edit({ from: spots[(n * 7 + i) % spots.length], insert: mark });
    state.typed.add(mark);
    n += 1;
    await sleep(15 + ((n + i) % 4) * 10);
  }
}

async function drainRun(pair) {
  const owner = await pair.signUp("Owner", uniqueEmail("owner"), "correct horse battery");
  const challenge = await createChallenge(pair, owner.token, { response: START_TEXT });
  const editors = [];
  for (let i = 0; i < EDITORS; i += 1) editors.push(await editor(pair, challenge.id, i));
  cleanups.push(() => editors.forEach((e) => e.socket.disconnect()));
  const peers = editors.map((e) => e.peer);
  const closeCodes = editors.map((e) => e.codes);
  const state = { editing: true, typed: new Set() };
  const typing = peers.map((peer, i) => keepTyping(peer, i, state));

  await sleep(800);
  const silent = await silentWebSocket(pair.port, owner.token);
  cleanups.push(() => silent.destroy());

  const termAt = Date.now();
  const pushesInFlight = peers.filter((p) => p.pushing).length;
  pair.child.proc.kill("SIGTERM");
  await waitFor(() => closeCodes.some((c) => c.length > 0), 10000, "an editor's socket to close");
  // The acceptor closes before the sockets do: from here on nothing new gets in.
  const attempt = await tryConnect(pair.port);
  const drainingAtAttempt = pair.exited === null;
  assert.equal(attempt, "refused", "a connection attempted during the drain is refused");
  assert.ok(drainingAtAttempt, "the server was still draining when it refused the connection");

  const exit = await withTimeout(pair.child.exitPromise, EXIT_BOUND_MS, "pair to exit after SIGTERM");
  const exitMs = Date.now() - termAt;
  assert.deepEqual(exit, { code: 0, signal: null }, `exit status 0 after SIGTERM\n${pair.output}`);
  assert.ok(exitMs < EXIT_BOUND_MS, `exited within ${EXIT_BOUND_MS} ms (took ${exitMs} ms)`);
  assert.match(pair.output, /draining/, "the server logged its drain");

  const acked = new Set();
  for (const peer of peers) for (const updates of peer.acked) for (const m of insertedMarks(updates)) acked.add(m);
  for (const [i, codes] of closeCodes.entries()) assert.equal(codes[0], 1012, `editor ${i} was closed with 1012 (saw ${codes})`);
  assert.ok(acked.size > 20, `edits were acknowledged before the drain (${acked.size})`);

  await sleep(300);  // editors keep typing while the server is down
  const typedWhileDown = state.typed.size;
  await pair.restart();
  await waitFor(() => peers.every((p) => p.joins >= 2), 20000, "every editor to rejoin after the restart");
  await sleep(500);
  state.editing = false;
  await Promise.all(typing);
  assert.ok(state.typed.size > typedWhileDown, "editing went on after the restart");

  const version = await converge(peers, async () => (await fetchChallenge(pair, owner.token, challenge.id)).version, 30000);
  const stored = await fetchChallenge(pair, owner.token, challenge.id);
  assert.equal(stored.version, version);
  const counts = new Map();
  for (const m of stored.response.match(MARK_RE) ?? []) counts.set(m, (counts.get(m) ?? 0) + 1);
  for (const m of acked) assert.equal(counts.get(m), 1, `acknowledged mark ${m} survived the restart, once`);
  for (const m of state.typed) assert.equal(counts.get(m), 1, `typed mark ${m} is in the final text once`);
  assert.equal(stored.response.replace(MARK_RE, ""), START_TEXT, "nothing but the marks was added");
  for (const peer of peers) {
    assert.deepEqual(peer.errors, [], `editor ${peer.clientID}`);
    assert.equal(peer.doc, stored.response, `editor ${peer.clientID} equals the stored text`);
  }
  // The stored history (every acknowledged update, in order) replays to the stored text.
  const history = (await push(peers[0].channel, "collab:pull", { version: 0 })).reply.updates;
  assert.equal(history.length, version);
  let text = Text.of(START_TEXT.split("\n"));
  for (const u of history) text = ChangeSet.fromJSON(u.changes).apply(text);
  assert.equal(text.toString(), stored.response, "history and stored text agree");
  for (const peer of peers) peer.leave();
  return { exitMs, acked: acked.size, version, pushesInFlight };
}

test("SIGTERM mid-editing: refuse new connections, close 1012, exit 0, lose no acknowledged edit (SQLite)", async (t) => {
  const pair = await startPair();
  cleanups.push(() => pair.close());
  const r = await drainRun(pair);
  t.diagnostic(`${r.pushesInFlight} pushes in flight at SIGTERM; exited ${r.exitMs} ms later; ${r.acked} marks acknowledged before; final version ${r.version}`);
});

test("SIGTERM mid-editing: refuse new connections, close 1012, exit 0, lose no acknowledged edit (PostgreSQL)", async (t) => {
  const pg = await startPostgres();
  cleanups.push(() => pg.stop());
  const pair = await startPair({ db: pg.url });
  cleanups.push(() => pair.close());
  const r = await drainRun(pair);
  t.diagnostic(`${r.pushesInFlight} pushes in flight at SIGTERM; exited ${r.exitMs} ms later; ${r.acked} marks acknowledged before; final version ${r.version}`);
});
