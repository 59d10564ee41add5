// Role: libFuzzer target for presence replication between nodes: a message from Redis is
// decoded strictly (presence/replication_codec.h), and whatever decodes is merged into a
// replica that already holds entries of its own, as a heartbeat delta or a transfer would
// be. Neither step may crash or break the state's invariants (the list stays readable,
// re-encoding and re-decoding gives the same message).
// Thread affinity: single-threaded (libFuzzer's driver).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>

#include "roost/presence/replication_codec.h"
#include "roost/presence/state.h"

using namespace roost::presence;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)peek_sender(bytes);
  auto message = decode(bytes);
  if (!message) return 0;
  // What decodes must encode to something that decodes to the same message.
  auto again = decode(encode(*message));
  if (!again || !(*again == *message)) std::abort();

  int refs = 0;
  State state(ReplicaName{"fuzz@local", 1}, [&refs] { return "F" + std::to_string(++refs); });
  const Owner owner{"fuzz@local", 1};
  (void)state.join(owner, "room:a", "alice", R"({"typing":false})");
  (void)state.join(owner, "room:b", "bob", "{}");
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Heartbeat>) {
          state.replica_up(m.from);
          if (m.delta) (void)state.merge(*m.delta);
        } else if constexpr (std::is_same_v<T, TransferAck>) {
          state.replica_up(m.from);
          (void)state.merge(m.state);
        } else {
          (void)state.extract(m.from, m.clock);
        }
      },
      *message);
  state.compact();
  for (const char* topic : {"room:a", "room:b"}) (void)state.list(topic);
  return 0;
}
