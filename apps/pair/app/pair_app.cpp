// Role: PairApp (see pair_app.h): the wiring of Pair.
// Thread affinity: main thread. Ownership: see the header.
#include "app/pair_app.h"

#include <cstdio>
#include <system_error>

#include "api/api_routes.h"
#include "app/origin_policy.h"
#include "auth/secret.h"
#include "auth/socket_connect.h"
#include "channel/challenge_channel.h"
#include "roost/core/log.h"

namespace pair::app {

roost::Result<std::unique_ptr<PairApp>> PairApp::create(PairConfig config) {
  std::error_code ec;
  bool created = std::filesystem::create_directories(config.data_dir, ec);
  // A new data dir is private: it holds the token secret and the password hashes.
  if (created && !ec)
    std::filesystem::permissions(config.data_dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, ec);
  if (ec) {
    roost::log().critical("cannot create the data directory {}: {}", config.data_dir.string(), ec.message());
    return ec;
  }
  if (auto origins = socket_origin_policy(config); !origins) {
    roost::log().critical("bad --origin: an allowed origin needs a scheme and host, e.g. https://pair.example.com");
    return origins.error();
  }
  auto secret = auth::load_or_create_secret(config.secret, config.data_dir);
  if (!secret) return secret.error();
  std::string url = config.database_url.empty() ? (config.data_dir / "pair.sqlite3").string() : config.database_url;
  auto store = store::open_store(url);
  if (!store) {
    // The URL may hold a password: name only the kind of database.
    bool postgres = url.starts_with("postgres");
    roost::log().critical("cannot open the {} database: {}", postgres ? "PostgreSQL" : "SQLite file " + url,
                          store.error().message());
    return store.error();
  }
  std::unique_ptr<PairApp> app(new PairApp(std::move(config), std::move(*store), std::move(*secret)));
  app->mount();
  return app;
}

PairApp::PairApp(PairConfig config, std::unique_ptr<store::Store> store, std::string secret)
    : config_(std::move(config)), store_(std::move(store)), tokens_(std::move(secret), config_.token_ttl) {
  // tutorial:begin endpoint
  roost::server::EndpointConfig endpoint;
  endpoint.host = config_.host;
  endpoint.port = config_.port;
  endpoint.loops = config_.loops;
  endpoint.workers = config_.workers;
  endpoint.tls_cert_file = config_.tls_cert_file;
  endpoint.tls_key_file = config_.tls_key_file;
  endpoint_ = std::make_unique<roost::server::Endpoint>(endpoint);
  documents_ = std::make_unique<collab::DocumentService>(*store_, endpoint_->workers(), endpoint_->pubsub());
  // tutorial:end endpoint
  api_ = std::make_unique<api::ApiContext>(api::ApiContext{*store_, endpoint_->workers(), tokens_, hasher_, *documents_});
}

PairApp::~PairApp() {
  // The endpoint's loops, channels and queued worker jobs refer to the services below.
  endpoint_.reset();
}

void PairApp::mount() {
  api::mount_api(*endpoint_, *api_);

  // tutorial:begin socket
  roost::transport::SocketOptions socket;
  socket.mount = "/socket";
  socket.websocket = true;
  socket.longpoll = true;    // browsers behind proxies that break WebSocket still work
  socket.auth_token = true;  // the phoenix client's `authToken` option (a subprotocol)
  socket.check_origin = socket_origin_policy(config_).value();  // validated by create()
  roost::channels::ChannelRouter router;
  // ---- channels ----------------------------------------------------------------
  // tutorial:begin route
  // One ChallengeChannel per join of `challenges:<id>`; they share the DocumentService.
  router.channel("challenges:*", [documents = documents_.get()] {
    return std::make_unique<channel::ChallengeChannel>(*documents);
  });
  // tutorial:end route
  // ---- end of channels ---------------------------------------------------------
  endpoint_->socket(socket, auth::socket_connect(tokens_), std::move(router));
  // tutorial:end socket

  // ---- static files --------------------------------------------------------------
  // The web front end (apps/pair/web) is served here, below the API and the socket.
  // Without a built one the API and the socket still work (the tests of the API need no
  // page), so a missing directory is a warning, not a failure.
  if (!config_.web_dir.empty()) {
    std::error_code exists_ec;
    if (std::filesystem::is_regular_file(config_.web_dir / "index.html", exists_ec)) {
      endpoint_->serve_static(config_.web_dir);
      roost::log().info("serving the web front end from {}", config_.web_dir.string());
    } else {
      roost::log().warn("no web front end in {} (build the pair_web target, or pass --web-dir): serving the API only",
                        config_.web_dir.string());
    }
  }
  // ---- end of static files -------------------------------------------------------
}

int PairApp::run() {
  endpoint_->on_listening([this](std::uint16_t port) {
    std::printf("pair listening on %s:%u%s\n", config_.host.c_str(), static_cast<unsigned>(port),
                config_.tls_cert_file.empty() ? "" : " (tls)");
    std::fflush(stdout);
  });
  return endpoint_->run();
}

}  // namespace pair::app
