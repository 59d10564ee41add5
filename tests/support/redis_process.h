// RedisProcess: a real redis-server for tests, on a free loopback port in a temporary
// directory, without persistence. stop()/start() keep the port, so a test can take Redis
// away and bring it back; pause()/resume() (SIGSTOP/SIGCONT) make it stop answering while
// its sockets stay open. The destructor kills it and removes the directory.
// Thread affinity: any single thread (blocking calls, for test set-up only).
#pragma once

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace roost::testing {

// A loopback port that was free a moment ago (bound to port 0, then released).
inline std::uint16_t free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    throw std::runtime_error("free_loopback_port: cannot bind");
  ::close(fd);
  return ntohs(addr.sin_port);
}

class RedisProcess {
 public:
  RedisProcess() : port_(free_loopback_port()) {
    char tmpl[] = "/tmp/roost-redis-XXXXXX";
    if (!::mkdtemp(tmpl)) throw std::runtime_error("RedisProcess: mkdtemp failed");
    dir_ = tmpl;
    start();
  }
  ~RedisProcess() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  RedisProcess(const RedisProcess&) = delete;
  RedisProcess& operator=(const RedisProcess&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  std::string url() const { return "redis://127.0.0.1:" + std::to_string(port_); }

  // Starts redis-server on port() and waits until it answers PING (10 s at most).
  void start() {
    if (pid_ > 0) return;
    std::vector<std::string> args{"redis-server", "--port",       std::to_string(port_), "--bind", "127.0.0.1",
                                  "--save",       "",             "--appendonly",        "no",     "--dir",
                                  dir_,           "--daemonize",  "no",                  "--loglevel", "warning",
                                  "--logfile",    dir_ + "/redis.log"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    // Its stdio goes to /dev/null, not the test's: were the test to die without running
    // the destructor, a redis-server holding ctest's output pipe would keep ctest waiting.
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    for (int fd : {0, 1, 2}) ::posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    const int spawned = ::posix_spawnp(&pid_, "redis-server", &actions, nullptr, argv.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) throw std::runtime_error("RedisProcess: cannot spawn redis-server (installed?)");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!answers_ping()) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("RedisProcess: no PONG within 10 s");
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // SIGKILL: the sockets of every client close at once, as in a crash.
  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGCONT);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  void pause() { ::kill(pid_, SIGSTOP); }
  void resume() { ::kill(pid_, SIGCONT); }

 private:
  bool answers_ping() const {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port_);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::write(fd, "PING\r\n", 6) == 6) {
      char buf[16] = {};
      ok = ::read(fd, buf, sizeof buf - 1) >= 5 && std::string(buf).starts_with("+PONG");
    }
    ::close(fd);
    return ok;
  }

  std::uint16_t port_;
  std::string dir_;
  pid_t pid_ = -1;
};

}  // namespace roost::testing
