// Role: where `pair` finds its built web front end when --web-dir is not given:
// <directory of the running executable>/../share/pair/web. That is where the build puts
// it (build/bin/pair → build/share/pair/web, target pair_web) and where an installed
// tree has it (bin/pair → share/pair/web), so neither needs a flag.
// Thread affinity: none (call at start-up). Ownership: returns a value.
#pragma once

#include <filesystem>

namespace pair::app {

std::filesystem::path default_web_dir();

}  // namespace pair::app
