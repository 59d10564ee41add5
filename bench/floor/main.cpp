// roost-floor: the floor program of the fan-out benchmark (bench/README.md, "The floor"): a raw
// Asio WebSocket broadcaster that writes the same pre-framed bytes as Roost to the same sockets,
// so Roost's server CPU per delivery can be compared with the least the job costs, in the same
// run. Prints "floor listening on HOST:PORT"; SIGTERM/SIGINT stop it.
//
//   roost-floor [--host 127.0.0.1] [--port 0] [--threads N] [--writes per-message|batched]
#include <boost/asio/signal_set.hpp>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <string>
#include <string_view>
#include <thread>

#include "floor_server.h"

namespace {

template <typename T>
bool to_integer(std::string_view s, T& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

int usage(const std::string& error) {
  std::fprintf(stderr,
               "roost-floor: %s\nusage: roost-floor [--host 127.0.0.1] [--port 0] [--threads N] "
               "[--writes per-message|batched]\n",
               error.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  roost::bench::floor::FloorServer::Config config;
  for (int i = 1; i < argc; i += 2) {
    const std::string_view name = argv[i];
    if (i + 1 >= argc) return usage("option " + std::string(name) + " needs a value");
    const std::string_view value = argv[i + 1];
    bool ok = true;
    if (name == "--host") config.host = value;
    else if (name == "--port") ok = to_integer(value, config.port);
    else if (name == "--threads") ok = to_integer(value, config.threads) && config.threads > 0;
    else if (name == "--writes") ok = value == "per-message" || value == "batched", config.batched = value == "batched";
    else return usage("unknown option " + std::string(name));
    if (!ok) return usage("bad value '" + std::string(value) + "' for " + std::string(name));
  }
  try {
    roost::bench::floor::FloorServer server(config);
    // Signals are caught before the port is announced: whoever starts the floor may stop it as
    // soon as it has read the line.
    boost::asio::io_context signals_io;
    boost::asio::signal_set signals(signals_io, SIGINT, SIGTERM);
    signals.async_wait([&server](const boost::system::error_code&, int) { server.stop(); });
    std::thread signal_thread([&signals_io] { signals_io.run(); });
    std::printf("floor listening on %s:%u (%s writes)\n", config.host.c_str(), server.port(),
                config.batched ? "batched" : "per-message");
    std::fflush(stdout);
    server.run();
    signals_io.stop();
    signal_thread.join();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "roost-floor: %s\n", e.what());
    return 1;
  }
  return 0;
}
