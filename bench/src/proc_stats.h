// Role: reads what the reports need from /proc: a process's resident set (VmRSS), its CPU
// time (utime + stime) and its open file descriptors, and raises this process's open-file limit to its hard limit.
// Thread affinity: none (each call reads the file afresh). Ownership: none.
#pragma once

#include <cstdint>
#include <optional>
#include <sys/types.h>

namespace roost::bench {

// VmRSS of `pid` in kB, or nothing if the process is gone or unreadable.
std::optional<std::int64_t> rss_kb(pid_t pid);

// Entries of /proc/PID/fd (the process's open descriptors), or nothing if unreadable.
std::optional<std::int64_t> open_fds(pid_t pid);

// utime + stime of `pid` in seconds (clock-tick resolution), or nothing if unreadable.
std::optional<double> cpu_seconds(pid_t pid);

// Machine-wide CPU time from /proc/stat, in seconds summed over all cores: busy (user, nice,
// system, irq, softirq, steal) and total. Lets a report say how much of the machine neither
// the server nor the generator used (another program competing for the cores).
struct HostCpu {
  double busy = 0, total = 0;
};
HostCpu host_cpu();

// Sets RLIMIT_NOFILE's soft limit to the hard limit; returns the resulting soft limit.
std::uint64_t raise_open_file_limit();

}  // namespace roost::bench
