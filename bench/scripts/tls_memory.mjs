// Measures the resident memory of `room` per idle WebSocket, plain vs TLS.
//   ROOST_BIN=build/bin node bench/scripts/tls_memory.mjs [N=300]
// One loop, N raw WebSockets opened one after another and left idle; the difference in
// VmRSS and open descriptors before and after, per connection. Needs `npm ci` in
// tests/conformance (for `ws`) and the openssl CLI.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import WebSocket from "../../tests/conformance/node_modules/ws/index.js";
import { sleep } from "../../tests/support/node_helpers.mjs";
import { makeCertificate } from "../../tests/support/tls_fixture.mjs";

const N = Number(process.argv[2] ?? 300);
const certificate = makeCertificate();
const { cert: CERT, key: KEY, ca: CA } = certificate;
const rss = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))[1]);
const fds = (pid) => fs.readdirSync(`/proc/${pid}/fd`).length;

async function run(tls) {
  const args = ["--port", "0", "--host", "127.0.0.1", "--loops", "1", "--max-connections-per-address", "0",
    "--log-level", "warn"];
  if (tls) args.push("--tls-cert", CERT, "--tls-key", KEY);
  const proc = spawn(path.join(process.env.ROOST_BIN, "room"), args, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("room did not start within 15 s")), 15000);
    proc.stdout.on("data", (d) => {
      const m = /listening on [0-9.]+:(\d+)/.exec(d);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
  });
  await sleep(300);
  const base = rss(proc.pid), baseFds = fds(proc.pid);
  const socks = [];
  const url = `${tls ? "wss" : "ws"}://127.0.0.1:${port}/socket/websocket?vsn=2.0.0`;
  for (let i = 0; i < N; i++) {
    const ws = new WebSocket(url, { ca: CA, perMessageDeflate: false, handshakeTimeout: 10000 });
    await new Promise((res, rej) => { ws.once("open", res); ws.once("error", rej); });
    socks.push(ws);
  }
  await sleep(1000);
  const after = rss(proc.pid), afterFds = fds(proc.pid);
  console.log(`${tls ? "tls  " : "plain"}: ${N} idle WebSockets: +${after - base} KiB RSS (${((after - base) / N).toFixed(1)} KiB each), +${afterFds - baseFds} fds`);
  for (const s of socks) s.terminate();
  proc.kill("SIGKILL");
}
await run(false);
await run(true);
certificate.remove();
process.exit(0);
