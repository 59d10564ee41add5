// TLS termination (--tls-cert/--tls-key): the port speaks only https:// and wss://.
// A self-signed certificate for 127.0.0.1 and localhost is made with the openssl CLI
// (../support/tls_fixture.mjs); every client that should succeed trusts it by being
// given it as its CA (nothing turns verification off). Covered: the official client over wss:// (join, push and
// reply, broadcasts) and over https:// long-poll, GET /healthz, connections counted
// once, the close travelling both ways, a client that does not trust the certificate,
// plain HTTP on the TLS port, a handshake that never comes, and bad key files at start.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { before, after } from "node:test";
import { fileURLToPath } from "node:url";
import { Socket } from "phoenix";
import { startServer, test, WebSocket, HOST, sleep, withTimeout, guardAgainstOrphan } from "./harness.mjs";
import { joinOk, pushResult, waitFor } from "./client.mjs";
import { makeCertificate, httpsRequest as tlsRequest, trustingWebSocket } from "../support/tls_fixture.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HANDSHAKE_TIMEOUT_MS = 1500;

const TLS = makeCertificate();
const { cert: CERT, key: KEY, ca: CA, dir } = TLS;

const httpsRequest = (server, method, pathname, opts = {}) =>
  tlsRequest(server.host, server.port, method, pathname, { ca: CA, ...opts });

const probe = (handle) => httpsRequest(handle, "GET", "/healthz", { timeoutMs: 2000 });
const tlsArgs = (extra = []) => ["--tls-cert", CERT, "--tls-key", KEY,
  "--tls-handshake-timeout-ms", String(HANDSHAKE_TIMEOUT_MS), ...extra];

/** The `ws` WebSocket, trusting the test CA: the official client's transport. */
const TrustingWebSocket = trustingWebSocket(WebSocket, CA);

async function metric(server, name) {
  const res = await httpsRequest(server, "GET", "/metrics");
  assert.equal(res.status, 200);
  const line = res.text.split("\n").find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} missing from /metrics`);
  return Number(line.split(" ")[1]);
}

async function httpsBroadcast(server, topic, event, payload) {
  const res = await httpsRequest(server, "POST", "/api/broadcast", { body: { topic, event, payload } });
  assert.equal(res.status, 200, `POST /api/broadcast answered ${res.status}: ${res.text}`);
}

function newSocket(t, server, opts = {}) {
  const socket = new Socket(`wss://${HOST}:${server.port}/socket`, { transport: TrustingWebSocket, ...opts });
  t.cleanup(() => socket.disconnect());
  return socket;
}

/** Resolves {closed, bytes, ms} once `sock` closes (or {closed: false} after `ms`). */
function whenClosed(sock, ms) {
  const start = Date.now();
  const chunks = [];
  sock.on("data", (c) => chunks.push(c));
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ closed: false, bytes: Buffer.concat(chunks), ms: Date.now() - start }), ms);
    sock.on("close", () => { clearTimeout(timer); resolve({ closed: true, bytes: Buffer.concat(chunks), ms: Date.now() - start }); });
    sock.on("error", () => { /* reported through close */ });
  });
}

let server;
before(async () => { server = await startServer({ args: tlsArgs(["--longpoll-window-ms", "2000"]), probe }); });
after(async () => {
  await server?.stop();
  TLS.remove();
});

test("the listening line is unchanged up to the port and marks TLS", async () => {
  assert.match(server.output, new RegExp(`room listening on ${HOST.replace(/\./g, "\\.")}:${server.port} \\(tls\\)`));
});

test("GET /healthz over https with the test CA", async () => {
  const res = await httpsRequest(server, "GET", "/healthz");
  assert.equal(res.status, 200);
  assert.equal(res.text, "ok\n");
});

test("the official client over wss://: join, push and reply, broadcasts from a peer and the app", async (t) => {
  const a = newSocket(t, server, { params: { user_id: "tls-a" } });
  const b = newSocket(t, server, { params: { user_id: "tls-b" } });
  a.connect();
  b.connect();
  const chA = a.channel("room:tls");
  const chB = b.channel("room:tls");
  await joinOk(chA);
  await joinOk(chB);
  assert.deepEqual(await pushResult(chA, "echo", { over: "wss" }), { status: "ok", response: { over: "wss" } });
  // A channel broadcast: encoded and framed once, then relayed through each TLS connection.
  const shoutAtB = new Promise((resolve) => chB.on("shout", resolve));
  await pushResult(chA, "shout", { from: "a" });
  assert.deepEqual(await withTimeout(shoutAtB, 5000, "shout at b"), { from: "a" });
  // An application broadcast, itself sent over https.
  const newsAtA = new Promise((resolve) => chA.on("news", resolve));
  await httpsBroadcast(server, "room:tls", "news", { n: 1 });
  assert.deepEqual(await withTimeout(newsAtA, 5000, "news at a"), { n: 1 });
  // A large message crosses several TLS records both ways intact.
  const big = "x".repeat(200_000);
  assert.deepEqual(await pushResult(chA, "echo", { big }, 10000), { status: "ok", response: { big } });
});

test("the official client's long-poll transport over https://", async () => {
  const child = spawn(process.execPath, [path.join(HERE, "tls_longpoll_client.mjs"), `https://${HOST}:${server.port}/socket`, "room:tls_lp"], {
    cwd: HERE, env: { ...process.env, NODE_EXTRA_CA_CERTS: CERT }, stdio: ["ignore", "pipe", "pipe"],
  });
  guardAgainstOrphan(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (c) => { out += c; });
  child.stderr.on("data", (c) => { err += c; });
  const code = await withTimeout(new Promise((resolve) => child.on("exit", resolve)), 25000, "long-poll child");
  assert.equal(code, 0, `long-poll child failed: ${err}`);
  assert.deepEqual(JSON.parse(out), {
    echo: { status: "ok", response: { over: "https" } }, shout: { hello: "everyone" }, longpoll: true,
  });
});

test("a TLS connection counts once: in roost_connections and in the per-address limit", async (t) => {
  const limited = await startServer({ args: tlsArgs(["--max-connections-per-address", "2"]), probe });
  t.cleanup(() => limited.stop());
  const url = `wss://${HOST}:${limited.port}/socket/websocket?vsn=2.0.0`;
  const open = (ca) => new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ca, handshakeTimeout: 5000 });
    t.cleanup(() => ws.terminate());
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
  // The readiness probe's connection may still be going away: retry the first one.
  let first = null;
  for (let i = 0; i < 50 && !first; i++) {
    first = await open(CA).catch(() => null);
    if (!first) await sleep(100);
  }
  assert.ok(first, "first wss connection");
  const second = await open(CA);
  // Two WebSockets over TLS hold both places: were the relay and its session counted
  // apart, the second could not have opened.
  await assert.rejects(open(CA), "a third connection from the address is refused");
  second.terminate();
  let third = null;
  for (let i = 0; i < 50 && !third; i++) {
    third = await open(CA).catch(() => null);
    if (!third) await sleep(100);
  }
  assert.ok(third, "a place freed by a closed TLS connection is given again");
  first.terminate();
  third.terminate();

  // roost_connections: one per WebSocket, not one for the relay and one for the session.
  const socket = newSocket(t, server, { params: { user_id: "tls-count" } });
  socket.connect();
  await joinOk(socket.channel("room:tls_count"));
  for (let i = 0; i < 100; i++) {
    if ((await metric(server, "roost_connections")) === 1) break;
    await sleep(100);
  }
  assert.equal(await metric(server, "roost_connections"), 1);
  assert.ok((await metric(server, "roost_tls_connections")) >= 2, "the WebSocket and this scrape are TLS connections");
});

test("closing travels both ways: the server's close code reaches the client, a vanished client is noticed", async (t) => {
  const log = [];
  const socket = newSocket(t, server, { params: { user_id: "tls-close" }, reconnectAfterMs: () => 60000 });
  socket.onClose((e) => log.push(e.code));
  socket.connect();
  await joinOk(socket.channel("room:tls_close"));
  await httpsBroadcast(server, "user_socket:tls-close", "disconnect", {});
  await waitFor(() => log.length > 0, 5000, "close of the client");
  assert.equal(log[0], 1001, "the close frame travelled through TLS");
  socket.disconnect();

  const raw = await new Promise((resolve, reject) => {
    const ws = new WebSocket(`wss://${HOST}:${server.port}/socket/websocket?vsn=2.0.0`, { ca: CA });
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
  for (let i = 0; i < 100; i++) {
    if ((await metric(server, "roost_connections")) === 1) break;
    await sleep(100);
  }
  assert.equal(await metric(server, "roost_connections"), 1);
  raw._socket.destroy();  // the TCP connection vanishes without a close frame or close_notify
  let left = 1;
  for (let i = 0; i < 100 && left !== 0; i++) {
    await sleep(100);
    left = await metric(server, "roost_connections");
  }
  assert.equal(left, 0, "the WebSocket behind the TLS relay saw its client go");
});

test("a client that does not trust the certificate fails the handshake; others are still served", async () => {
  const before = await metric(server, "roost_tls_handshake_failures_total");
  const failure = await new Promise((resolve) => {
    const ws = new WebSocket(`wss://${HOST}:${server.port}/socket/websocket?vsn=2.0.0`, { handshakeTimeout: 5000 });
    ws.once("open", () => { ws.terminate(); resolve(null); });
    ws.once("error", resolve);
  });
  assert.ok(failure, "an untrusting client must not connect");
  assert.match(String(failure.code ?? failure.message), /SELF_SIGNED|self[- ]signed|UNABLE_TO_VERIFY/i);
  await assert.rejects(httpsRequest(server, "GET", "/healthz", { ca: null }), /self[- ]signed|unable to verify/i);
  for (let i = 0; i < 50; i++) {
    if ((await metric(server, "roost_tls_handshake_failures_total")) >= before + 2) break;
    await sleep(100);
  }
  assert.ok((await metric(server, "roost_tls_handshake_failures_total")) >= before + 2);
  assert.equal((await httpsRequest(server, "GET", "/healthz")).status, 200);
});

test("plain HTTP on the TLS port is refused and the server goes on", async () => {
  const sock = net.connect(server.port, HOST);
  await new Promise((resolve, reject) => { sock.once("connect", resolve); sock.once("error", reject); });
  const done = whenClosed(sock, 10000);
  sock.write("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
  const { closed, bytes } = await done;
  assert.ok(closed, "the connection is closed");
  assert.ok(!bytes.toString("latin1").startsWith("HTTP/"), `no plain HTTP answer, got ${JSON.stringify(bytes.toString("latin1"))}`);
  assert.equal((await httpsRequest(server, "GET", "/healthz")).status, 200);
});

test("a connection that never completes the handshake is closed after the handshake timeout", async () => {
  const sock = net.connect(server.port, HOST);
  await new Promise((resolve, reject) => { sock.once("connect", resolve); sock.once("error", reject); });
  const { closed, ms } = await whenClosed(sock, HANDSHAKE_TIMEOUT_MS + 10000);
  assert.ok(closed, "still open long after the handshake timeout");
  // Not before the timeout: the server waited, then dropped it.
  assert.ok(ms >= HANDSHAKE_TIMEOUT_MS - 200, `closed after ${ms} ms, before the ${HANDSHAKE_TIMEOUT_MS} ms timeout`);
  assert.equal((await httpsRequest(server, "GET", "/healthz")).status, 200);
});

/** Runs room with `args` until it exits; resolves {code, output}. */
async function runRoomUntilExit(args) {
  const proc = spawn(path.resolve(process.env.ROOST_BIN, "room"), ["--port", "0", "--host", HOST, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  guardAgainstOrphan(proc);
  let output = "";
  proc.stdout.on("data", (c) => { output += c; });
  proc.stderr.on("data", (c) => { output += c; });
  const code = await withTimeout(new Promise((resolve) => proc.on("exit", (c) => resolve(c))), 10000, "room exit").catch((e) => {
    proc.kill("SIGKILL");
    throw e;
  });
  return { code, output };
}

test("a missing key file, a key without a certificate or a mismatched key: exit 2 before listening", async () => {
  const otherKey = path.join(dir, "other_key.pem");
  execFileSync("openssl", ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", otherKey], { stdio: "pipe" });
  const cases = [
    [["--tls-cert", CERT, "--tls-key", path.join(dir, "absent.pem")], /cannot read the TLS key file '.*absent\.pem'/],
    [["--tls-key", KEY], /a TLS key file was given without its certificate file/],
    [["--tls-cert", CERT, "--tls-key", otherKey], /does not belong to the certificate/],
  ];
  for (const [args, message] of cases) {
    const { code, output } = await runRoomUntilExit(args);
    assert.equal(code, 2, `room ${args.join(" ")}: ${output}`);
    assert.match(output, message);
    assert.doesNotMatch(output, /listening on/);
  }
});

test("a drain closes joined wss clients with 1012 and the server exits 0", async (t) => {
  const draining = await startServer({ args: tlsArgs(), probe });
  t.cleanup(() => draining.stop());
  const log = [];
  const socket = newSocket(t, draining, { params: { user_id: "tls-drain" }, reconnectAfterMs: () => 60000 });
  socket.onClose((e) => log.push(e.code));
  socket.connect();
  await joinOk(socket.channel("room:tls_drain"));
  draining.signal("SIGTERM");
  await waitFor(() => log.length > 0, 5000, "close during the drain");
  assert.equal(log[0], 1012);
  const exited = await draining.waitExit(10000);
  assert.deepEqual(exited && { code: exited.code, signal: exited.signal }, { code: 0, signal: null });
});
