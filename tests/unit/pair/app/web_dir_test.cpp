// default_web_dir: the front end is looked for beside the running program's bin/.
#include "app/web_dir.h"

#include <gtest/gtest.h>

namespace {

TEST(WebDir, IsShareBesideTheExecutablesDirectory) {
  auto exe = std::filesystem::read_symlink("/proc/self/exe");
  auto dir = pair::app::default_web_dir();
  EXPECT_EQ(dir, (exe.parent_path().parent_path() / "share/pair/web").lexically_normal());
  EXPECT_EQ(dir.filename(), "web");
  EXPECT_TRUE(dir.is_absolute());
}

}  // namespace
