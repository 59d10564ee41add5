// Role: load_or_create_secret (see secret.h).
// Thread affinity: start-up only. Ownership: returns the secret.
#include "auth/secret.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "auth/auth_errors.h"
#include "roost/core/log.h"

namespace pair::auth {
namespace {

constexpr std::size_t kGeneratedBytes = 32;

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

roost::Result<std::string> read_secret(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    roost::log().critical("cannot read the token secret {}: {}", file.string(), std::strerror(errno));
    return AuthErrc::secret_unavailable;
  }
  std::ostringstream text;
  text << in.rdbuf();
  std::string secret = trimmed(text.str());
  if (secret.size() < kMinSecretBytes) {
    roost::log().critical("the token secret in {} is shorter than {} bytes; delete it to have a new one generated",
                          file.string(), kMinSecretBytes);
    return AuthErrc::secret_unavailable;
  }
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
    roost::log().warn("the token secret {} is readable by other users (mode {:o}); chmod 600 it", file.string(),
                      st.st_mode & 0777);
  return secret;
}

}  // namespace

roost::Result<std::string> load_or_create_secret(const std::optional<std::string>& configured,
                                                 const std::filesystem::path& data_dir) {
  if (configured) {
    if (configured->size() < kMinSecretBytes) {
      roost::log().critical("the configured token secret is shorter than {} bytes", kMinSecretBytes);
      return AuthErrc::secret_unavailable;
    }
    return *configured;
  }
  std::filesystem::path file = data_dir / "secret";
  if (std::filesystem::exists(file)) return read_secret(file);
  // Written whole to a private temporary file, then linked into place: link() fails if
  // the name exists, so two processes starting on one data dir at once agree on one
  // secret, and nobody ever reads a half-written file.
  std::filesystem::path temp = data_dir / ("secret.tmp." + std::to_string(::getpid()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    roost::log().critical("cannot create the token secret in {}: {}", data_dir.string(), std::strerror(errno));
    return AuthErrc::secret_unavailable;
  }
  if (sodium_init() < 0) {
    ::close(fd);
    ::unlink(temp.c_str());
    return AuthErrc::secret_unavailable;
  }
  unsigned char raw[kGeneratedBytes];
  randombytes_buf(raw, sizeof raw);
  char hex[kGeneratedBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  std::string secret(hex);
  std::string line = secret + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    roost::log().critical("cannot write the token secret {}: {}", temp.string(), std::strerror(errno));
    ::unlink(temp.c_str());
    return AuthErrc::secret_unavailable;
  }
  int linked = ::link(temp.c_str(), file.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (linked != 0) {
    if (link_errno == EEXIST) return read_secret(file);  // another process won the race
    roost::log().critical("cannot create the token secret {}: {}", file.string(), std::strerror(link_errno));
    return AuthErrc::secret_unavailable;
  }
  roost::log().info("generated a new token secret in {}", file.string());
  return secret;
}

}  // namespace pair::auth
