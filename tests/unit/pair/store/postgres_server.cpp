// Role: PostgresServer (see postgres_server.h).
// Thread affinity: one thread. Ownership: owns the server process and its directory.
#include "postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "roost/core/log.h"
#include "store/pg_connection.h"

namespace pair::testing {
namespace {

const char* pg_bin_dir() {
  const char* env = std::getenv("PAIR_PG_BIN");
  return env && *env ? env : "/usr/lib/postgresql/15/bin";
}

struct RunAs {
  bool switch_user = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

RunAs run_as() {
  RunAs who;
  if (::geteuid() != 0) return who;
  const passwd* pw = ::getpwnam("postgres");
  if (!pw) throw std::runtime_error("running as root, but there is no `postgres` user to run PostgreSQL as");
  who.switch_user = true;
  who.uid = pw->pw_uid;
  who.gid = pw->pw_gid;
  return who;
}

// fork + (drop to the postgres user) + exec, output to `log`. Returns the child's pid.
pid_t spawn(const std::vector<std::string>& argv, const RunAs& who, const std::filesystem::path& log,
            const std::filesystem::path& cwd) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    if (who.switch_user && (::setgid(who.gid) != 0 || ::setuid(who.uid) != 0)) ::_exit(126);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot find a free loopback port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Waits up to `limit` for `pid` to exit; true if it did.
bool wait_exit(pid_t pid, std::chrono::milliseconds limit, int* status) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, status, WNOHANG) == pid) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace

PostgresServer::PostgresServer() {
  std::filesystem::path bin = pg_bin_dir();
  if (!std::filesystem::exists(bin / "initdb") || !std::filesystem::exists(bin / "postgres"))
    throw std::runtime_error("PostgreSQL binaries not found in " + bin.string() +
                             " (install the postgresql package: scripts/setup)");
  RunAs who = run_as();
  std::string templ = (std::filesystem::temp_directory_path() / "pair-pg-XXXXXX").string();
  if (!::mkdtemp(templ.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = templ;
  if (who.switch_user && ::chown(dir_.c_str(), who.uid, who.gid) != 0)
    throw std::runtime_error("cannot hand " + dir_.string() + " to the postgres user");
  auto data = dir_ / "data";
  auto log = dir_ / "server.log";

  pid_t init = spawn({(bin / "initdb").string(), "-D", data.string(), "-U", "pair", "-A", "trust", "-E", "UTF8",
                      "--no-sync", "--locale=C"},
                     who, log, dir_);
  int status = 0;
  if (!wait_exit(init, std::chrono::seconds(60), &status) || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    ::kill(init, SIGKILL);
    std::string output = read_file(log);
    std::filesystem::remove_all(dir_);
    throw std::runtime_error("initdb failed:\n" + output);
  }

  int port = free_port();
  // fsync off: the tests check the store's logic, not PostgreSQL's own durability.
  pid_ = spawn({(bin / "postgres").string(), "-D", data.string(), "-p", std::to_string(port), "-k", dir_.string(), "-c",
                "listen_addresses=127.0.0.1", "-c", "fsync=off"},
               who, log, dir_);
  url_ = "postgres://pair@127.0.0.1:" + std::to_string(port) + "/postgres";

  // Each refused attempt would log a connection error; the wait is expected to see some.
  auto& logger = roost::log();
  auto level = logger.level();
  logger.set_level(spdlog::level::off);
  struct Restore {
    spdlog::logger& logger;
    spdlog::level::level_enum level;
    ~Restore() { logger.set_level(level); }
  } restore{logger, level};
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (true) {
    if (auto conn = store::PgConnection::open(url_)) break;
    if (::waitpid(pid_, &status, WNOHANG) == pid_ || std::chrono::steady_clock::now() > deadline) {
      std::string output = read_file(log);
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      std::filesystem::remove_all(dir_);
      throw std::runtime_error("postgres did not start:\n" + output);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

PostgresServer::~PostgresServer() {
  if (pid_ > 0) {
    int status = 0;
    ::kill(pid_, SIGINT);  // fast shutdown: disconnect clients, stop
    if (!wait_exit(pid_, std::chrono::seconds(10), &status)) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace pair::testing
