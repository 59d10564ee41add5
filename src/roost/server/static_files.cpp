// Role: StaticFiles (see static_files.h): the file system half of static serving.
// Thread affinity: respond() runs on a WorkerPool thread; serve() on the awaiting loop.
// Ownership: file descriptors are opened and closed within one respond() call.
#include "roost/server/static_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/beast/http/field.hpp>
#include <fmt/format.h>
#include <stdexcept>

#include "roost/server/static_path.h"

namespace roost::server {

namespace http = boost::beast::http;
namespace fs = std::filesystem;

namespace {

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const noexcept { return fd_; }

 private:
  int fd_;
};

// Size and modification time identify a version of the file well enough for a
// directory that is replaced by a build, and cost one fstat instead of a hash.
std::string etag_of(const struct stat& st) {
  auto mtime_ns = static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
  return fmt::format("\"{:x}-{:x}\"", static_cast<unsigned long long>(st.st_size), mtime_ns);
}

// If-None-Match holds "*" or a comma-separated list of (possibly weak, W/"...") tags.
bool etag_matches(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.remove_prefix(1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

bool inside(const fs::path& root, const fs::path& candidate) {
  auto [root_end, ignored] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return root_end == root.end();
}

transport::HttpResponse not_found(const transport::HttpRequest& request) {
  return transport::make_response(request, 404, "not found\n");
}

bool read_all(int fd, std::string& out, std::size_t size) {
  out.resize(size);
  std::size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // an error, or the file shrank under us
    done += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(fs::path root, net::WorkerPool& workers) : workers_(workers) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_, ec))
    throw std::invalid_argument("static files: '" + root.string() + "' is not a directory" +
                                (ec ? " (" + ec.message() + ")" : std::string{}));
}

Task<transport::HttpResponse> StaticFiles::serve(const transport::HttpRequest& request,
                                                 std::string_view url_path) const {
  // Named first: GCC 12 mishandles a lambda written inside a co_await expression.
  auto work = [this, &request, url_path] { return respond(request, url_path); };
  co_return co_await workers_.run(std::move(work));
}

transport::HttpResponse StaticFiles::respond(const transport::HttpRequest& request, std::string_view url_path) const {
  auto relative = resolve_static_path(url_path);
  if (!relative) return not_found(request);
  std::error_code ec;
  // canonical() follows symlinks, so a link pointing outside the root is caught here.
  fs::path file = fs::canonical(root_ / *relative, ec);
  if (ec || !inside(root_, file)) return not_found(request);

  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  struct stat st {};
  if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) return not_found(request);

  std::string etag = etag_of(st);
  std::string_view name = *relative;
  transport::HttpResponse res{http::status::ok, request.version()};
  res.set(http::field::server, "roost");
  res.set(http::field::etag, etag);
  res.set(http::field::cache_control, cache_control_for(name));
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(request.keep_alive());

  if (auto inm = request.find(http::field::if_none_match); inm != request.end() && etag_matches(inm->value(), etag)) {
    res.result(http::status::not_modified);
    return res;
  }
  res.set(http::field::content_type, content_type_for(name));
  if (request.method() == http::verb::head) {
    // The length of the body a GET would carry; the body itself is left out.
    res.content_length(static_cast<std::uint64_t>(st.st_size));
    return res;
  }
  if (!read_all(fd.get(), res.body(), static_cast<std::size_t>(st.st_size)))
    return transport::make_response(request, 500, "cannot read file\n");
  res.prepare_payload();
  return res;
}

}  // namespace roost::server
