// Child process of z_tls.test.mjs: the official client's long-poll transport against a
// TLS server. The client uses Node's fetch, which takes no per-request CA, so the parent
// starts this process with NODE_EXTRA_CA_CERTS naming the test certificate: this
// process trusts that one extra CA, and nothing is left unverified.
//
//   node tls_longpoll_client.mjs https://127.0.0.1:PORT/socket TOPIC
//
// Joins TOPIC, pushes "echo" and "shout", and prints one JSON line:
// {"echo": <reply>, "shout": <the broadcast received>, "longpoll": true}.
import { Socket, LongPoll } from "phoenix";
import { joinOk, pushResult } from "./client.mjs";

const [endPoint, topic] = process.argv.slice(2);
const guard = setTimeout(() => {
  process.stderr.write("long-poll over TLS: no result within 20 s\n");
  process.exit(1);
}, 20000);

try {
  const socket = new Socket(endPoint, { transport: LongPoll, params: { user_id: "tls-lp" } });
  socket.connect();
  const channel = socket.channel(topic);
  await joinOk(channel, 10000);
  const shout = new Promise((resolve) => channel.on("shout", resolve));
  const echo = await pushResult(channel, "echo", { over: "https" }, 10000);
  await pushResult(channel, "shout", { hello: "everyone" }, 10000);
  const received = await shout;
  process.stdout.write(JSON.stringify({ echo, shout: received, longpoll: socket.conn instanceof LongPoll }) + "\n");
  socket.disconnect();
  clearTimeout(guard);
  process.exit(0);
} catch (e) {
  process.stderr.write(`long-poll over TLS failed: ${e.stack ?? e}\n`);
  process.exit(1);
}
