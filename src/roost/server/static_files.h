// Role: StaticFiles, serves one directory over HTTP GET and HEAD: a built web front end
// (index.html at "/", bundled assets beside it). Content-Type by extension, an ETag
// with If-None-Match → 304, a year of caching for content-hashed names and
// revalidation for the rest, and no way out of the directory (see static_path.h;
// symlinks leading outside it are refused too). Applications use it through
// Endpoint::serve_static.
// Thread affinity: immutable after construction, shared by every loop. serve() is
// awaited on a loop; the file system work (stat, open, read) runs on the WorkerPool,
// because a disk read must never stall a loop.
// Ownership: holds the directory path; the WorkerPool must outlive it.
#pragma once

#include <filesystem>
#include <string_view>

#include "roost/core/task.h"
#include "roost/net/worker_pool.h"
#include "roost/transport/http_types.h"

namespace roost::server {

class StaticFiles {
 public:
  // Throws std::invalid_argument when `root` is not an existing directory: a start-up
  // mistake (a wrong --web-dir) should stop the program with a message, not 404 later.
  StaticFiles(std::filesystem::path root, net::WorkerPool& workers);

  // Answers a GET or HEAD for `url_path` (the request path below the mount, starting
  // with '/'): 200, 304, or 404 for a missing, refused or unreadable file.
  Task<transport::HttpResponse> serve(const transport::HttpRequest& request, std::string_view url_path) const;

  // The blocking part of serve(), run on a worker; public for tests.
  transport::HttpResponse respond(const transport::HttpRequest& request, std::string_view url_path) const;

  const std::filesystem::path& root() const noexcept { return root_; }

 private:
  std::filesystem::path root_;  // canonical
  net::WorkerPool& workers_;
};

}  // namespace roost::server
