// Role: calls to Pair's HTTP API (/api/...) with the session's bearer token. Resolves
// with the parsed JSON body; rejects with an ApiError carrying the status and the
// server's {error, message, errors} so forms can show field messages. Main thread.
import { loadSession } from "./session.js";

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? body?.error ?? `request failed (${status})`);
    this.status = status;
    this.body = body ?? {};
  }
}

// Listeners for a 401 on an authenticated call (an expired or revoked token).
const unauthorizedListeners = new Set();
export function onUnauthorized(fn) {
  unauthorizedListeners.add(fn);
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  const session = loadSession();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiError(0, { error: "offline", message: "Cannot reach the server. Check your connection." });
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = { error: "bad_response", message: text.slice(0, 200) };
  }
  if (!res.ok) {
    if (res.status === 401 && session) unauthorizedListeners.forEach((fn) => fn());
    throw new ApiError(res.status, json);
  }
  return json;
}
