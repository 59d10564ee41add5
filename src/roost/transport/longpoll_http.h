// Role: the long-poll transport's HTTP side (protocol.md §9): GET (create a session or
// wait for frames), POST (dispatch lines), OPTIONS (CORS pre-flight), with every answer
// shaped as the reference server shapes it.
// Thread affinity: runs on the HTTP connection's loop; reaches a session on its own loop
// through that loop's mailbox and resumes here with the answer.
#pragma once

#include "roost/transport/http_types.h"

namespace roost::transport {

Task<HttpResponse> handle_longpoll(const HttpRequest& request, const RequestInfo& info, const MountedSocket& mounted,
                                   net::LoopGroup& loops);

}  // namespace roost::transport
