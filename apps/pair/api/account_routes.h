// Role: the account endpoints of Pair's API:
//   POST /api/users     {first_name, email, password} → 201 {token, user}
//                       409 email_taken, 422 invalid {errors}
//   POST /api/sessions  {email, password} → 200 {token, user}; 401 invalid_credentials
//   GET  /api/me        (Bearer token) → 200 {user}; 401 unauthorized
// Passwords are hashed and verified on the worker pool; a sign-in with an unknown email
// costs one verification too (PasswordHasher::verify_or_dummy). Neither passwords nor
// tokens are ever logged.
// Thread affinity: handlers run on the request's loop and await the workers.
// Ownership: the handlers borrow the ApiContext.
#pragma once

#include "api/api_context.h"
#include "roost/transport/http_types.h"

namespace pair::api {

roost::transport::HttpHandler sign_up_handler(ApiContext& ctx);
roost::transport::HttpHandler sign_in_handler(ApiContext& ctx);
roost::transport::HttpHandler me_handler(ApiContext& ctx);

}  // namespace pair::api
