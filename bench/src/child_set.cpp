#include "child_set.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/read_until.hpp>
#include <cerrno>
#include <cstring>
#include <istream>

#include "clock.h"
#include "pump.h"

namespace roost::bench {

namespace asio = boost::asio;

ChildSet::~ChildSet() { stop_all(2.0); }

bool ChildSet::spawn(const std::vector<std::string>& args, std::string& error) {
  int down[2], up[2];  // parent -> child stdin, child stdout -> parent
  if (::pipe2(down, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (::pipe2(up, O_CLOEXEC) != 0) {
    error = std::string("pipe: ") + std::strerror(errno);
    ::close(down[0]);
    ::close(down[1]);
    return false;
  }
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("roost-bench"));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    error = std::string("fork: ") + std::strerror(errno);
    for (int fd : {down[0], down[1], up[0], up[1]}) ::close(fd);
    return false;
  }
  if (pid == 0) {
    ::dup2(down[0], STDIN_FILENO);  // dup2 clears FD_CLOEXEC on the copies
    ::dup2(up[1], STDOUT_FILENO);
    ::execv("/proc/self/exe", argv.data());
    std::fprintf(stderr, "roost-bench: exec failed: %s\n", std::strerror(errno));
    ::_exit(127);
  }
  ::close(down[0]);
  ::close(up[1]);
  auto c = std::make_unique<Child>();
  c->pid = pid;
  c->to_child = down[1];
  c->from_child = std::make_unique<asio::posix::stream_descriptor>(io_, up[0]);
  read_from(*c);
  children_.push_back(std::move(c));
  return true;
}

void ChildSet::read_from(Child& c) {
  asio::async_read_until(*c.from_child, c.buf, '\n', [this, &c](const boost::system::error_code& ec, std::size_t) {
    if (ec) {
      c.eof = true;
      return;
    }
    std::string line;
    std::istream is(&c.buf);
    std::getline(is, line);
    c.lines.push_back(std::move(line));
    read_from(c);
  });
}

void ChildSet::send_all(std::string_view line) {
  for (auto& c : children_) {
    if (c->to_child < 0) continue;
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(c->to_child, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
  }
}

std::optional<std::vector<ControlLine>> ChildSet::collect(std::string_view verb, std::int64_t deadline_ns,
                                                          std::string& error) {
  std::vector<std::optional<ControlLine>> got(children_.size());
  bool dead = false;
  auto all_in = [&] {
    bool all = true;
    for (std::size_t i = 0; i < children_.size(); ++i) {
      auto& c = *children_[i];
      while (!got[i] && !c.lines.empty()) {
        ControlLine l = parse_control_line(c.lines.front());
        c.lines.pop_front();
        if (l.verb == verb) got[i] = std::move(l);
      }
      if (!got[i]) {
        all = false;
        if (c.eof) dead = true;
      }
    }
    return all || dead;
  };
  if (!pump_until(io_, all_in, deadline_ns)) {
    error = "timed out waiting for '" + std::string(verb) + "' from the worker processes";
    return std::nullopt;
  }
  if (dead) {
    error = "a worker process exited before sending '" + std::string(verb) + "'";
    return std::nullopt;
  }
  std::vector<ControlLine> out;
  for (auto& g : got) out.push_back(std::move(*g));
  return out;
}

void ChildSet::stop_all(double grace_s) {
  send_all("quit\n");
  for (auto& c : children_) {
    if (c->to_child >= 0) ::close(c->to_child);
    c->to_child = -1;
  }
  const std::int64_t deadline = mono_ns() + seconds_to_ns(grace_s);
  for (auto& c : children_) {
    while (!c->reaped) {
      int status = 0;
      const pid_t r = ::waitpid(c->pid, &status, WNOHANG);
      if (r == c->pid || (r < 0 && errno == ECHILD)) {
        c->reaped = true;
        break;
      }
      if (mono_ns() >= deadline) {
        ::kill(c->pid, SIGKILL);
        ::waitpid(c->pid, &status, 0);
        c->reaped = true;
        break;
      }
      ::usleep(10'000);
    }
    if (c->from_child) {
      boost::system::error_code ignored;
      c->from_child->close(ignored);
    }
  }
}

std::vector<pid_t> ChildSet::pids() const {
  std::vector<pid_t> out;
  for (const auto& c : children_) out.push_back(c->pid);
  return out;
}

}  // namespace roost::bench
