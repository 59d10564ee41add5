// Role: what the TLS tests share: a throwaway self-signed certificate for 127.0.0.1 and
// localhost made with the openssl CLI, HTTPS requests that trust it as their only CA,
// and a WebSocket class (the caller's `ws`) that trusts it, for the phoenix client.
// Why: the clients are given the certificate as their CA, so verification stays on;
// nothing sets NODE_TLS_REJECT_UNAUTHORIZED.
// Thread affinity: the test process's single JS thread.
// Ownership: makeCertificate's directory belongs to the caller (remove() deletes it).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import https from "node:https";
import os from "node:os";
import path from "node:path";

/** A fresh P-256 key and self-signed certificate; resolves {dir, cert, key, ca, remove()}. */
export function makeCertificate() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "roost-tls-"));
  const cert = path.join(dir, "cert.pem");
  const key = path.join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
  ], { stdio: "pipe" });
  return { dir, cert, key, ca: fs.readFileSync(cert), remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * One HTTPS request; `ca` is the only CA trusted (null: the system's). `body` is a
 * string, Buffer or object (sent as JSON). Resolves {status, headers, text, body}.
 */
export function httpsRequest(host, port, method, pathname, { ca, headers = {}, body = null, timeoutMs = 10000 } = {}) {
  const h = { ...headers };
  let payload = body;
  if (body !== null && typeof body === "object" && !Buffer.isBuffer(body)) {
    payload = JSON.stringify(body);
    h["content-type"] ??= "application/json";
  }
  if (payload !== null) h["content-length"] = Buffer.byteLength(payload);
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host, port, method, path: pathname, headers: h, ...(ca ? { ca } : {}), agent: false, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let parsed = null;
          try { parsed = text ? JSON.parse(text) : null; } catch { parsed = null; }
          resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${pathname}: no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    if (payload !== null) req.write(payload);
    req.end();
  });
}

/** A subclass of the given `ws` WebSocket that trusts `ca`: the phoenix client's transport. */
export function trustingWebSocket(WebSocket, ca) {
  return class TrustingWebSocket extends WebSocket {
    constructor(url, protocols, options = {}) { super(url, protocols, { ...options, ca }); }
  };
}
