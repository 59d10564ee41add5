// Shared harness for Pair's Node tests (tests/pair/*.test.mjs).
//
// Starts the real `$ROOST_BIN/pair` on a free loopback port with a temporary data
// directory (SQLite by default, or a PostgreSQL URL), talks to its HTTP API and to its
// socket with the unmodified `phoenix` client over `ws`, and can start a throwaway
// PostgreSQL server of its own. Every wait is bounded and every process it starts is
// stopped again, also when a test fails or the runner is interrupted.
//
//   const pair = await startPair();                 // or startPair({ db: pg.url })
//   const { token, user } = await pair.signUp("Ada", uniqueEmail(), "correct horse");
//   const res = await pair.api("GET", "/api/challenges", null, token);  // {status, body, text, headers}
//   const socket = await pair.openSocket(token);    // a connected phoenix Socket
//   const { channel, reply } = await joinChannel(socket, "challenges:1");
//   await pair.kill("SIGKILL"); await pair.restart(); // same port, data dir and database
//   await pair.close();                             // stop and delete the data dir
//
//   const pg = await startPostgres();                // {url, stop()}

import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { Socket } from "phoenix";
import WebSocket from "ws";
import { watchSanitizerReports } from "../support/sanitizer_reports.mjs";
import { HOST, sleep, withTimeout, freePort } from "../support/node_helpers.mjs";

export { WebSocket, Socket, HOST, sleep, withTimeout, freePort };

const START_TIMEOUT_MS = 20000;
const OUTPUT_LIMIT = 64 * 1024;


/** Polls `pred` (may be async) every 20 ms; resolves its first truthy value or rejects after `ms`. */
export async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

let emailCounter = 0;
/** An email address no other test of this run uses. */
export function uniqueEmail(prefix = "user") {
  emailCounter += 1;
  return `${prefix}.${process.pid}.${Date.now()}.${emailCounter}@example.com`;
}


// ---------------------------------------------------------------------------
// Cleanup of everything started here, whatever way the test process ends
// ---------------------------------------------------------------------------

const liveProcesses = new Set();
const tempDirs = new Set();

function cleanupNow() {
  for (const proc of liveProcesses) {
    try { proc.kill("SIGKILL"); } catch { /* already gone */ }
  }
  for (const dir of tempDirs) {
    try { fs.rmSync(dir, { recursive: true, force: true }); } catch { /* best effort */ }
  }
}
process.on("exit", cleanupNow);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(sig, () => { cleanupNow(); process.exit(130); });
}

function makeTempDir(prefix) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

function removeTempDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Spawns a process and keeps its last output; resolves the child once `readyRe` appears on stdout or stderr. */
function spawnUntil(command, args, { env, cwd, uid, gid, readyRe, what, timeoutMs = START_TIMEOUT_MS }) {
  const proc = spawn(command, args, { env, cwd, uid, gid, stdio: ["ignore", "pipe", "pipe"] });
  liveProcesses.add(proc);
  // Instrumented builds: a sanitizer report, even one printed while the program stops
  // after the last assertion, fails the test file.
  watchSanitizerReports(proc, what);
  const state = { output: "", exited: null };
  const exitPromise = new Promise((resolve) => {
    proc.on("exit", (code, signal) => {
      state.exited = { code, signal };
      liveProcesses.delete(proc);
      resolve(state.exited);
    });
  });
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, match) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        try { proc.kill("SIGKILL"); } catch { /* gone */ }
        reject(new Error(`${err}\n--- ${what} output ---\n${state.output}`));
      } else {
        resolve({ proc, state, exitPromise, match });
      }
    };
    const append = (tag) => (chunk) => {
      state.output += chunk.toString("utf8").replace(/^(?=.)/gm, tag);
      if (state.output.length > OUTPUT_LIMIT) state.output = state.output.slice(-OUTPUT_LIMIT);
      const m = readyRe.exec(state.output);
      if (m) finish(null, m);
    };
    proc.stdout.on("data", append("[out] "));
    proc.stderr.on("data", append("[err] "));
    proc.on("error", (e) => finish(`${what} could not be started: ${e.message}`));
    exitPromise.then((ex) => finish(`${what} exited before it was ready (code ${ex.code}, signal ${ex.signal})`));
    const timer = setTimeout(() => finish(`${what} not ready within ${timeoutMs} ms`), timeoutMs);
  });
}

async function waitExit(exitPromise, state, ms) {
  if (state.exited) return state.exited;
  let timer;
  const res = await Promise.race([
    exitPromise,
    new Promise((resolve) => { timer = setTimeout(() => resolve(null), ms); }),
  ]);
  clearTimeout(timer);
  return res;
}

// ---------------------------------------------------------------------------
// HTTP
// ---------------------------------------------------------------------------

/**
 * One HTTP request. `body` may be an object (sent as JSON), a string or a Buffer (sent
 * as is). Resolves {status, headers, text, body} where body is the parsed JSON or null.
 */
export function httpRequest(host, port, method, pathname, { headers = {}, body = null, timeoutMs = 15000 } = {}) {
  let payload = null;
  const h = { ...headers };
  if (body !== null && body !== undefined) {
    payload = typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!Object.keys(h).some((k) => k.toLowerCase() === "content-type")) h["content-type"] = "application/json";
    h["content-length"] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: pathname, headers: h, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed = null;
        try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
      });
      res.on("error", (e) => { clearTimeout(timer); reject(e); });
    });
    const timer = setTimeout(() => req.destroy(new Error(`${method} ${pathname}: no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on("error", (e) => {
      clearTimeout(timer);
      // The server may answer (e.g. 413) and close before it has read the whole body.
      if (e.code === "EPIPE" || e.code === "ECONNRESET") reject(Object.assign(new Error(`${method} ${pathname}: ${e.message}`), { code: e.code }));
      else reject(e);
    });
    if (payload !== null) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------------------
// Phoenix socket helpers
// ---------------------------------------------------------------------------

/**
 * Resolves once `socket` (a phoenix Socket whose connect() was called) is open; rejects
 * when the client reports an error first (e.g. the server refused the token with 403).
 */
export function waitOpen(socket, ms = 10000) {
  return withTimeout(new Promise((resolve, reject) => {
    const refs = [];
    const off = () => socket.off(refs);
    refs.push(socket.onOpen(() => { off(); resolve(socket); }));
    refs.push(socket.onError((err) => {
      off();
      const e = new Error("socket error before open");
      e.cause = err;
      reject(e);
    }));
  }), ms, "socket open");
}

/**
 * Joins `topic` on `socket`; resolves {channel, reply} on ok, rejects with an Error
 * carrying `.reply` (the error payload) on an error reply or a timeout.
 */
export function joinChannel(socket, topic, payload = {}, ms = 10000) {
  const channel = socket.channel(topic, payload);
  return new Promise((resolve, reject) => {
    channel.join(ms)
      .receive("ok", (reply) => resolve({ channel, reply }))
      .receive("error", (reply) => {
        channel.leave();
        reject(Object.assign(new Error(`join ${topic} refused: ${JSON.stringify(reply)}`), { reply }));
      })
      .receive("timeout", () => {
        channel.leave();
        reject(Object.assign(new Error(`join ${topic} timed out`), { reply: null }));
      });
  });
}

/** Pushes `event` on a joined channel; resolves {status, reply} for ok/error, rejects on timeout. */
export function push(channel, event, payload, ms = 10000) {
  return new Promise((resolve, reject) => {
    channel.push(event, payload, ms)
      .receive("ok", (reply) => resolve({ status: "ok", reply }))
      .receive("error", (reply) => resolve({ status: "error", reply }))
      .receive("timeout", () => reject(new Error(`push ${event} timed out`)));
  });
}

// ---------------------------------------------------------------------------
// The Pair server
// ---------------------------------------------------------------------------

function pairBinary() {
  const dir = process.env.ROOST_BIN;
  if (!dir) throw new Error("ROOST_BIN is not set (directory holding the `pair` program, e.g. build/bin)");
  const bin = path.resolve(dir, "pair");
  if (!fs.existsSync(bin)) throw new Error(`pair program not found at ${bin}`);
  return bin;
}

const LISTENING_RE = /pair listening on ([0-9.]+):(\d+)/;

export class PairServer {
  /** Use startPair(). */
  constructor(options) {
    this.options = options;
    this.dataDir = options.dataDir;
    this.db = options.db ?? null;
    this.host = HOST;
    this.port = null;
    this.sockets = new Set();
    this.child = null;
  }

  get origin() { return `http://${this.host}:${this.port}`; }
  get socketUrl() { return `ws://${this.host}:${this.port}/socket`; }
  /** The server's recent stdout/stderr, for assertion messages. */
  get output() { return this.child ? this.child.state.output : ""; }
  get exited() { return this.child ? this.child.state.exited : null; }

  async launch(port) {
    const args = ["--port", String(port), "--host", HOST, "--data-dir", this.dataDir, ...(this.options.args ?? [])];
    if (this.db) args.push("--db", this.db);
    const env = { ...process.env, ...(this.options.env ?? {}) };
    if (!this.options.env || !("PAIR_DATABASE_URL" in this.options.env)) delete env.PAIR_DATABASE_URL;
    if (!this.options.env || !("PAIR_SECRET" in this.options.env)) delete env.PAIR_SECRET;
    this.child = await spawnUntil(pairBinary(), args, { env, readyRe: LISTENING_RE, what: "pair" });
    this.port = Number(this.child.match[2]);
    return this;
  }

  /** Sends `signal` and waits (bounded) for the process to end. */
  async kill(signal = "SIGKILL", ms = 10000) {
    this.disconnectSockets();
    if (!this.child || this.child.state.exited) return this.exited;
    this.child.proc.kill(signal);
    const res = await waitExit(this.child.exitPromise, this.child.state, ms);
    if (res) return res;
    this.child.proc.kill("SIGKILL");
    return waitExit(this.child.exitPromise, this.child.state, 5000);
  }

  /** Graceful stop: SIGTERM, then SIGKILL after `graceMs`. Keeps the data dir. */
  async stop(graceMs = 8000) {
    return this.kill("SIGTERM", graceMs);
  }

  /** Starts the program again on the same port, data dir, database and options. */
  async restart() {
    if (this.child && !this.child.state.exited) await this.stop();
    // The port may linger in TIME_WAIT for a moment; the server sets SO_REUSEADDR, but
    // retry briefly in case another process grabbed it between the runs.
    let lastError;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try { return await this.launch(this.port); } catch (e) { lastError = e; await sleep(200); }
    }
    throw lastError;
  }

  /** Stops the server and deletes its data dir (unless the caller supplied it). */
  async close() {
    await this.stop();
    if (this.ownsDataDir) removeTempDir(this.dataDir);
  }

  /** One request to the API: body is an object (JSON), string or Buffer; token adds the Bearer header. */
  api(method, pathname, body = null, token = null, { headers = {}, timeoutMs } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    return httpRequest(this.host, this.port, method, pathname, { headers: h, body, timeoutMs });
  }

  /** POST /api/users; resolves {token, user}; throws with the server's answer when it is not 201. */
  async signUp(first_name, email, password) {
    const res = await this.api("POST", "/api/users", { first_name, email, password });
    if (res.status !== 201) throw new Error(`sign up ${email} failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /** POST /api/sessions; resolves {token, user}; throws when it is not 200. */
  async signIn(email, password) {
    const res = await this.api("POST", "/api/sessions", { email, password });
    if (res.status !== 200) throw new Error(`sign in ${email} failed: ${res.status} ${res.text}`);
    return res.body;
  }

  /**
   * A phoenix Socket to /socket with `token` as its param (connect() already called;
   * reconnects are slowed down so a refused socket does not spin). `opts` go to the
   * Socket constructor (e.g. {authToken} instead of params, or longpoll options).
   */
  socket(token, opts = {}) {
    const socket = new Socket(this.socketUrl, {
      transport: WebSocket,
      params: token === null || token === undefined ? {} : { token },
      reconnectAfterMs: () => 60000,
      rejoinAfterMs: () => 60000,
      heartbeatIntervalMs: 30000,
      ...opts,
    });
    this.sockets.add(socket);
    socket.connect();
    return socket;
  }

  /** A connected phoenix Socket; rejects when the server refuses it. */
  async openSocket(token, opts = {}) {
    const socket = this.socket(token, opts);
    try {
      return await waitOpen(socket);
    } catch (e) {
      socket.disconnect();
      this.sockets.delete(socket);
      throw e;
    }
  }

  disconnectSockets() {
    for (const s of this.sockets) {
      try { s.disconnect(); } catch { /* ignore */ }
    }
    this.sockets.clear();
  }
}

/**
 * Starts Pair. Options: db (a postgres:// URL; default SQLite in the data dir), dataDir
 * (default: a fresh temp dir, deleted by close()), args (extra command-line arguments,
 * e.g. ["--token-ttl-seconds", "1"]), env (extra environment), port (default 0: any).
 */
export async function startPair(options = {}) {
  const ownsDataDir = !options.dataDir;
  const dataDir = options.dataDir ?? makeTempDir("pair-data-");
  const server = new PairServer({ ...options, dataDir });
  server.ownsDataDir = ownsDataDir;
  await server.launch(options.port ?? 0);
  return server;
}

// ---------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------

const PG_BIN = process.env.PAIR_PG_BIN ?? "/usr/lib/postgresql/15/bin";

function postgresIds() {
  const id = (flag) => {
    const res = spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
    return res.status === 0 ? Number(res.stdout.trim()) : NaN;
  };
  const uid = id("-u");
  const gid = id("-g");
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) {
    throw new Error("running as root, but there is no `postgres` system user to run PostgreSQL as");
  }
  return { uid, gid };
}

/**
 * Starts a throwaway PostgreSQL server: initdb into a temp dir and postgres on a free
 * loopback port (as the `postgres` system user when running as root). Resolves {url, port, dataDir, stop()}; stop() shuts it down
 * and deletes the directory. Fails (never skips) when the binaries are missing.
 */
export async function startPostgres() {
  const initdb = path.join(PG_BIN, "initdb");
  const postgres = path.join(PG_BIN, "postgres");
  if (!fs.existsSync(initdb) || !fs.existsSync(postgres)) {
    throw new Error(`PostgreSQL binaries not found in ${PG_BIN} (install the postgresql package, e.g. scripts/setup)`);
  }
  const dir = makeTempDir("pair-pg-");
  const dataDir = path.join(dir, "data");
  const asRoot = process.getuid && process.getuid() === 0;
  // PostgreSQL refuses to run as root: as root, its processes run as `postgres` in a
  // directory that user owns.
  const ids = asRoot ? postgresIds() : {};
  if (asRoot) fs.chownSync(dir, ids.uid, ids.gid);
  fs.chmodSync(dir, 0o700);
  const init = spawnSync(initdb, ["-D", dataDir, "-U", "pair", "-A", "trust", "-E", "UTF8", "--no-sync", "--locale=C"],
    { encoding: "utf8", timeout: 60000, cwd: dir, ...ids });
  if (init.status !== 0) {
    removeTempDir(dir);
    throw new Error(`initdb failed (status ${init.status}):\n${init.stdout}\n${init.stderr}`);
  }
  const port = await freePort();
  // fsync off: the tests kill Pair, not PostgreSQL, so its own durability is not under test.
  const args = ["-D", dataDir, "-p", String(port), "-k", dir, "-c", "listen_addresses=127.0.0.1",
    "-c", "fsync=off", "-c", "max_connections=50"];
  let child;
  try {
    child = await spawnUntil(postgres, args, {
      env: process.env, cwd: dir, ...ids, readyRe: /database system is ready to accept connections/, what: "postgres",
    });
  } catch (e) {
    removeTempDir(dir);
    throw e;
  }
  const url = `postgres://pair@${HOST}:${port}/postgres`;
  return {
    url,
    port,
    dataDir,
    get output() { return child.state.output; },
    async stop() {
      if (!child.state.exited) {
        child.proc.kill("SIGINT"); // fast shutdown
        const res = await waitExit(child.exitPromise, child.state, 10000);
        if (!res) {
          child.proc.kill("SIGKILL");
          await waitExit(child.exitPromise, child.state, 5000);
        }
      }
      removeTempDir(dir);
    },
  };
}
