// Role: ApiContext, what Pair's HTTP handlers share: the store, the worker pool every
// blocking call (store, password hashing) runs on, the token service, the password
// hasher, and the collaborative-editing service a PATCH of a response goes through.
// Thread affinity: handlers run on any loop at once; every member is thread-safe.
// Ownership: borrows everything; the application keeps it all alive longer than the
// endpoint that serves the routes.
#pragma once

#include "auth/password.h"
#include "auth/token_service.h"
#include "collab/document_service.h"
#include "roost/net/worker_pool.h"
#include "store/store.h"

namespace pair::api {

struct ApiContext {
  store::Store& store;
  roost::net::WorkerPool& workers;
  const auth::TokenService& tokens;
  const auth::PasswordHasher& hasher;
  collab::DocumentService& documents;
};

}  // namespace pair::api
