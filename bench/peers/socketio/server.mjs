// Role: the Socket.IO 4 peer of the benchmark: the same service as Roost's `room` fixture for
// the scenarios roost-bench runs (connections, fanout, rooms), written the way a Socket.IO
// application is usually written, so the comparison measures the framework, not a tuned
// special case.
//   - `join` (room, ack): socket.join(room), then ack {status:"ok"}; counts as Phoenix's phx_join.
//   - `shout` (room, payload, ack): io.to(room).emit("shout", payload) -- the room including the
//     sender, like Phoenix's broadcast -- then ack {status:"ok"}, like Roost's reply to a push.
//   - POST /api/broadcast {"topic","event","payload"}: io.to(topic).emit(event, payload), the
//     counterpart of Roost's endpoint of the same name.
// WebSocket transport only (roost-bench speaks Engine.IO over WebSocket, as Roost's clients
// speak Phoenix over WebSocket); per-message deflate stays off, its default.
// Thread affinity: Node's single event loop. Ownership: the process owns its server.
//
//   node server.mjs [--port 0] [--host 127.0.0.1]
// Prints "socketio listening on HOST:PORT" once it accepts connections; SIGTERM/SIGINT stop it.
import { createServer } from "node:http";
import { Server } from "socket.io";

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const host = option("--host", "127.0.0.1");
const port = Number(option("--port", "0"));
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`socketio: bad --port ${option("--port", "")}`);
  process.exit(2);
}

const kMaxBody = 1 << 20;

function answer(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

// Socket.IO answers its own path on this server; everything else comes here.
const http = createServer((req, res) => {
  if (req.method !== "POST" || req.url !== "/api/broadcast") return answer(res, 404, { error: "not found" });
  let body = "";
  let tooBig = false;
  req.setEncoding("utf8");
  req.on("data", (chunk) => {
    body += chunk;
    if (body.length > kMaxBody) tooBig = true;
  });
  req.on("end", () => {
    if (tooBig) return answer(res, 413, { error: "body too large" });
    let msg;
    try {
      msg = JSON.parse(body);
    } catch {
      return answer(res, 400, { error: "body is not JSON" });
    }
    const { topic, event, payload } = msg ?? {};
    if (typeof topic !== "string" || typeof event !== "string" || typeof payload !== "object" || payload === null)
      return answer(res, 400, { error: 'expected {"topic","event","payload"}' });
    io.to(topic).emit(event, payload);
    answer(res, 200, { ok: true });
  });
});

const io = new Server(http, { transports: ["websocket"], serveClient: false });

io.on("connection", (socket) => {
  socket.on("join", (room, ack) => {
    if (typeof room !== "string" || room === "") return ack?.({ status: "error", reason: "room must be a string" });
    socket.join(room);
    ack?.({ status: "ok" });
  });
  socket.on("shout", (room, payload, ack) => {
    if (typeof room !== "string" || !socket.rooms.has(room))
      return ack?.({ status: "error", reason: "not in that room" });
    io.to(room).emit("shout", payload);
    ack?.({ status: "ok" });
  });
});

http.listen(port, host, () => {
  console.log(`socketio listening on ${host}:${http.address().port}`);
});

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    io.close();
    process.exit(0);
  });
}
