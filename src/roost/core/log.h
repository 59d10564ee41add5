// Role: the project logger. One spdlog logger named "roost", writing to stderr.
// Thread affinity: any thread (spdlog's stderr sink is mutex-protected; logging is kept
// off per-message paths: forced disconnects and failures are logged once, not per frame).
// Ownership: the logger is a process-wide singleton created on first use.
#pragma once

#include <spdlog/spdlog.h>

namespace roost {

spdlog::logger& log();

// Level names as spdlog spells them: trace, debug, info, warn, error, critical, off.
void set_log_level(std::string_view level);

}  // namespace roost
