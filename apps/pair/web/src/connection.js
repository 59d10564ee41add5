// Role: the one phoenix Socket of a signed-in page (mounted at /socket, the token as a
// connect param) and the offline banner that shows while it is disconnected. The
// phoenix client reconnects and rejoins channels by itself; this only reports the state
// and shortens the back-off so a restarted server is found again within seconds.
// Main thread. Owns the Socket until closeSocket().
import { Socket } from "phoenix";

let socket = null;
let socketToken = null;
const stateListeners = new Set();

// Back-off steps in ms, then the last one forever: a restart of the server typically
// takes a second or two, and a user watching the banner should not wait 5 s more.
const RECONNECT_STEPS = [50, 100, 250, 500, 1000, 1500, 2000];

function setOnline(online) {
  const banner = document.getElementById("offline-banner");
  if (banner) banner.hidden = online;
  document.body.classList.toggle("is-offline", !online);
  stateListeners.forEach((fn) => fn(online));
}

export function onConnectionChange(fn) {
  stateListeners.add(fn);
  return () => stateListeners.delete(fn);
}

export function getSocket(token) {
  if (socket && socketToken === token) return socket;
  closeSocket();
  const backoff = (tries) => RECONNECT_STEPS[Math.min(tries - 1, RECONNECT_STEPS.length - 1)];
  const s = new Socket("/socket", {
    params: { token },
    reconnectAfterMs: backoff,
    rejoinAfterMs: backoff,
    heartbeatIntervalMs: 15000,
  });
  socket = s;
  socketToken = token;
  // A socket closed by closeSocket() (sign-out) may still report its close later.
  s.onOpen(() => s === socket && setOnline(true));
  s.onClose(() => s === socket && setOnline(false));
  s.onError(() => s === socket && setOnline(false));
  s.connect();
  return s;
}

export function closeSocket() {
  if (!socket) return;
  socket.disconnect();
  socket = null;
  socketToken = null;
  setOnline(true);
}
