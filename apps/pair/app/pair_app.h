// Role: PairApp, the whole Pair server assembled from Roost's public API: the store, the
// token secret and services, the Endpoint with the HTTP API under /api, the socket at
// /socket (WebSocket and long-poll, token checked on connect) with the challenge
// channel, and the web front end at /.
// Thread affinity: create() and run() on the main thread; run() blocks until SIGTERM /
// SIGINT (graceful drain), and the main thread becomes loop 0.
// Ownership: owns everything it creates. On destruction the endpoint (its loops,
// channels and worker pool) goes first, then what the endpoint's work referred to.
#pragma once

#include <memory>

#include "api/api_context.h"
#include "app/pair_config.h"
#include "auth/password.h"
#include "auth/token_service.h"
#include "collab/document_service.h"
#include "roost/core/result.h"
#include "roost/server/endpoint.h"
#include "store/store.h"

namespace pair::app {

class PairApp {
 public:
  // Creates the data dir, loads or makes the secret, opens (and migrates) the database.
  // Errors are logged with what to do about them; the returned code says which part failed.
  static roost::Result<std::unique_ptr<PairApp>> create(PairConfig config);
  ~PairApp();
  PairApp(const PairApp&) = delete;
  PairApp& operator=(const PairApp&) = delete;

  // Binds, prints "pair listening on HOST:PORT" on stdout, serves until a signal.
  int run();

  roost::server::Endpoint& endpoint() noexcept { return *endpoint_; }

 private:
  PairApp(PairConfig config, std::unique_ptr<store::Store> store, std::string secret);
  void mount();

  PairConfig config_;
  std::unique_ptr<store::Store> store_;
  auth::TokenService tokens_;
  auth::PasswordHasher hasher_;
  std::unique_ptr<roost::server::Endpoint> endpoint_;
  std::unique_ptr<collab::DocumentService> documents_;
  std::unique_ptr<api::ApiContext> api_;
};

}  // namespace pair::app
