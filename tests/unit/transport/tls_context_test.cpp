// Role: tests of make_tls_context: the certificate/key pair rules and the one-line
// reasons a server prints before refusing to start, with real PEM files generated here.
// Thread affinity: test thread only. Ownership: each test owns its temporary directory.
#include "roost/transport/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace roost::transport {
namespace {

namespace fs = std::filesystem;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

// A fresh P-256 key and a self-signed certificate for it, written as PEM files.
void write_pair(const fs::path& cert_path, const fs::path& key_path) {
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  ASSERT_TRUE(key);
  std::unique_ptr<X509, X509Free> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  ASSERT_GT(X509_sign(cert.get(), key.get(), EVP_sha256()), 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  ASSERT_NE(c, nullptr);
  PEM_write_X509(c, cert.get());
  std::fclose(c);
  FILE* k = std::fopen(key_path.c_str(), "w");
  ASSERT_NE(k, nullptr);
  PEM_write_PrivateKey(k, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(k);
}

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() / ("roost-tls-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  fs::path path(const char* name) const { return dir_ / name; }

  fs::path dir_;
};

TEST_F(TlsContextTest, LoadsAMatchingPairWithTls12AsTheFloor) {
  write_pair(path("cert.pem"), path("key.pem"));
  std::string why;
  auto context = make_tls_context({path("cert.pem"), path("key.pem")}, &why);
  ASSERT_TRUE(context) << why;
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context->native_handle()), TLS1_2_VERSION);
}

TEST_F(TlsContextTest, WantedWhenEitherFileIsNamed) {
  EXPECT_FALSE(TlsFiles{}.wanted());
  EXPECT_TRUE((TlsFiles{"c.pem", ""}.wanted()));
  EXPECT_TRUE((TlsFiles{"", "k.pem"}.wanted()));
}

TEST_F(TlsContextTest, HalfAPairIsRefused) {
  write_pair(path("cert.pem"), path("key.pem"));
  std::string why;
  EXPECT_FALSE(make_tls_context({path("cert.pem"), ""}, &why));
  EXPECT_EQ(why, "a TLS certificate file was given without its key file");
  EXPECT_FALSE(make_tls_context({"", path("key.pem")}, &why));
  EXPECT_EQ(why, "a TLS key file was given without its certificate file");
}

TEST_F(TlsContextTest, AMissingFileIsNamed) {
  write_pair(path("cert.pem"), path("key.pem"));
  std::string why;
  EXPECT_FALSE(make_tls_context({path("cert.pem"), path("absent.pem")}, &why));
  EXPECT_NE(why.find("cannot read the TLS key file '" + path("absent.pem").string() + "'"), std::string::npos) << why;
  EXPECT_FALSE(make_tls_context({path("absent.pem"), path("key.pem")}, &why));
  EXPECT_NE(why.find("cannot read the TLS certificate file"), std::string::npos) << why;
}

TEST_F(TlsContextTest, AFileThatIsNotPemIsRefused) {
  write_pair(path("cert.pem"), path("key.pem"));
  std::ofstream(path("junk.pem")) << "not a certificate\n";
  std::string why;
  EXPECT_FALSE(make_tls_context({path("junk.pem"), path("key.pem")}, &why));
  EXPECT_NE(why.find("bad TLS certificate file '" + path("junk.pem").string() + "'"), std::string::npos) << why;
  EXPECT_FALSE(make_tls_context({path("cert.pem"), path("junk.pem")}, &why));
  EXPECT_NE(why.find("bad TLS key file '" + path("junk.pem").string() + "'"), std::string::npos) << why;
}

TEST_F(TlsContextTest, AKeyOfAnotherCertificateIsRefused) {
  write_pair(path("cert.pem"), path("key.pem"));
  write_pair(path("other_cert.pem"), path("other_key.pem"));
  std::string why;
  EXPECT_FALSE(make_tls_context({path("cert.pem"), path("other_key.pem")}, &why));
  EXPECT_NE(why.find("does not belong to the certificate"), std::string::npos) << why;
}

}  // namespace
}  // namespace roost::transport
