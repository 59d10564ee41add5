// kill -9 in the middle of collaborative editing loses no acknowledged change: 8
// editors insert unique tokens (with emoji and CJK) while the server is killed with
// SIGKILL and restarted on the same port and database; the editors reconnect, rejoin,
// pull what they missed and push what they still hold. At the end every token
// acknowledged before the kill is in the final text, in fact every token anyone typed
// is there exactly once, and all editors equal the stored response. SQLite and
// PostgreSQL.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { startPair, startPostgres, Socket, WebSocket, waitOpen, uniqueEmail, sleep } from "./pair_harness.mjs";
import { createChallenge, fetchChallenge } from "./channel_helpers.mjs";
import { CollabPeer, converge, rng } from "./collab_peer.mjs";

const PEERS = 8;
const cleanups = [];
after(async () => { for (const fn of cleanups.reverse()) await fn(); });

const TOKEN_RE = /«\d+\.\d+字😀»/g;

/** Positions where a token may go without cutting another: the ends and after every "»". */
function tokenBoundaries(doc) {
  const out = [0, doc.length];
  for (let i = doc.indexOf("»"); i !== -1; i = doc.indexOf("»", i + 1)) out.push(i + 1);
  return out;
}

/** A socket of our own (not the harness's), so that killing the server does not disconnect it for good. */
async function reconnectingSocket(pair, token) {
  const socket = new Socket(pair.socketUrl, {
    transport: WebSocket, params: { token }, reconnectAfterMs: () => 150, rejoinAfterMs: () => 150, heartbeatIntervalMs: 30000,
  });
  socket.connect();
  await waitOpen(socket);
  return socket;
}

async function crashRun(pair, seed) {
  const next = rng(seed);
  const { token } = await pair.signUp("Owner", uniqueEmail("owner"), "correct horse battery");
  const challenge = await createChallenge(pair, token, { response: "base\n" });
  const peers = [];
  const sockets = [];
  for (let i = 0; i < PEERS; i += 1) {
    const user = await pair.signUp(`Peer${i}`, uniqueEmail(`peer${i}`), "correct horse battery");
    const socket = await reconnectingSocket(pair, user.token);
    sockets.push(socket);
    peers.push(await new CollabPeer(socket, challenge.id, { pushTimeoutMs: 1500 }).join());
  }
  cleanups.push(() => sockets.forEach((s) => s.disconnect()));

  const typed = new Set();
  let editing = true;
  const editors = peers.map(async (peer, i) => {
    for (let n = 0; editing; n += 1) {
      const tokenText = `«${i}.${n}字😀»`;
      const cuts = tokenBoundaries(peer.doc);
      const at = cuts[Math.floor(next() * cuts.length)];
      peer.edit({ from: at, insert: tokenText });
      typed.add(tokenText);
      await sleep(10 + Math.floor(next() * 30));
    }
  });

  await sleep(700);
  const ackedBeforeKill = new Set();
  for (const peer of peers) for (const push of peer.acked) for (const u of push) for (const part of u.changes) {
    if (Array.isArray(part)) for (const line of part.slice(1)) for (const m of line.matchAll(TOKEN_RE)) ackedBeforeKill.add(m[0]);
  }
  const killed = await pair.kill("SIGKILL");
  assert.equal(killed.signal, "SIGKILL");
  const typedAtKill = typed.size;
  await sleep(300);  // editors keep typing while the server is down
  await pair.restart();
  await sleep(1200);
  editing = false;
  await Promise.all(editors);

  assert.ok(ackedBeforeKill.size > 20, `edits were acknowledged before the kill (${ackedBeforeKill.size})`);
  assert.ok(typed.size > typedAtKill, "edits were made during and after the outage");
  const version = await converge(peers, async () => (await fetchChallenge(pair, token, challenge.id)).version, 30000);
  const stored = await fetchChallenge(pair, token, challenge.id);
  assert.equal(stored.version, version);
  for (const peer of peers) {
    assert.deepEqual(peer.errors, [], `peer ${peer.clientID} (seed ${seed})`);
    assert.ok(peer.joins >= 2, `peer ${peer.clientID} rejoined after the restart`);
    assert.equal(peer.doc, stored.response, `peer ${peer.clientID} (seed ${seed})`);
  }
  const found = stored.response.match(TOKEN_RE) ?? [];
  const counts = new Map();
  for (const t of found) counts.set(t, (counts.get(t) ?? 0) + 1);
  for (const t of ackedBeforeKill) assert.equal(counts.get(t), 1, `acknowledged token ${t} is in the final text once`);
  for (const t of typed) assert.equal(counts.get(t), 1, `typed token ${t} is in the final text once`);
  assert.equal(found.length, typed.size, "nothing but the typed tokens");
  assert.equal(stored.response.replace(TOKEN_RE, ""), "base\n", "the rest of the text is intact");
  for (const peer of peers) peer.leave();
}

test("kill -9 mid-editing loses no acknowledged change; editors reconnect and converge (SQLite)", async () => {
  const seed = Number(process.env.PAIR_COLLAB_SEED ?? Date.now() % 1_000_000);
  const pair = await startPair();
  cleanups.push(() => pair.close());
  await crashRun(pair, seed);
});

test("kill -9 mid-editing loses no acknowledged change; editors reconnect and converge (PostgreSQL)", async () => {
  const seed = Number(process.env.PAIR_COLLAB_SEED ?? (Date.now() + 7) % 1_000_000);
  const pg = await startPostgres();
  cleanups.push(() => pg.stop());
  const pair = await startPair({ db: pg.url });
  cleanups.push(() => pair.close());
  await crashRun(pair, seed);
});
