// The token secret: generated once into <data-dir>/secret (mode 0600) and reused; a
// configured one wins; a short one is refused.
#include "auth/secret.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include "auth/auth_errors.h"

namespace pair::auth {
namespace {

namespace fs = std::filesystem;

class SecretTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "pair-secret-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(SecretTest, GeneratedOnFirstRunAndReused) {
  auto first = load_or_create_secret(std::nullopt, dir_);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->size(), 64u) << "32 random bytes in hex";
  struct stat st {};
  ASSERT_EQ(::stat((dir_ / "secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto second = load_or_create_secret(std::nullopt, dir_);
  ASSERT_TRUE(second);
  EXPECT_EQ(*first, *second);
  // Only the secret is left behind (no temporary file).
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(SecretTest, EveryDataDirGetsItsOwn) {
  fs::path other = dir_ / "other";
  fs::create_directory(other);
  auto a = load_or_create_secret(std::nullopt, dir_);
  auto b = load_or_create_secret(std::nullopt, other);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

TEST_F(SecretTest, ConfiguredSecretWins) {
  auto s = load_or_create_secret(std::string("a-configured-secret-value"), dir_);
  ASSERT_TRUE(s);
  EXPECT_EQ(*s, "a-configured-secret-value");
  EXPECT_FALSE(fs::exists(dir_ / "secret"));
}

TEST_F(SecretTest, ShortSecretsAreRefused) {
  EXPECT_EQ(load_or_create_secret(std::string("short"), dir_).error(), AuthErrc::secret_unavailable);
  std::ofstream(dir_ / "secret") << "tooshort\n";
  EXPECT_EQ(load_or_create_secret(std::nullopt, dir_).error(), AuthErrc::secret_unavailable);
}

TEST_F(SecretTest, MissingDataDirIsAnError) {
  EXPECT_EQ(load_or_create_secret(std::nullopt, dir_ / "missing").error(), AuthErrc::secret_unavailable);
}

}  // namespace
}  // namespace pair::auth
