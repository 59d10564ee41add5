// Role: default_web_dir (see web_dir.h).
// Thread affinity: none. Ownership: returns a value.
#include "app/web_dir.h"

#include <system_error>

namespace pair::app {

std::filesystem::path default_web_dir() {
  std::error_code ec;
  // /proc/self/exe names the program actually running, wherever it was started from.
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::filesystem::path("share") / "pair" / "web";
  return (exe.parent_path().parent_path() / "share" / "pair" / "web").lexically_normal();
}

}  // namespace pair::app
