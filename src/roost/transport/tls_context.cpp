#include "roost/transport/tls_context.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace roost::transport {

namespace ssl = boost::asio::ssl;

namespace {

// Asio turns OpenSSL's error into `ec`; what is left on OpenSSL's error queue is dropped
// so that no later connection reports it as its own.
std::string reason(const boost::system::error_code& ec) {
  ERR_clear_error();
  return ec.message();
}

// A missing file is told apart from a malformed one: the fix differs.
bool readable(const std::string& path, const char* what, std::string* why) {
  std::ifstream in(path);
  if (in) return true;
  *why = std::string("cannot read the TLS ") + what + " file '" + path + "': " + std::strerror(errno);
  return false;
}

// Keys must be unencrypted: without this OpenSSL would prompt on the terminal for a
// pass phrase, and a server must not wait for one.
int no_pass_phrase(char*, int, int, void*) { return 0; }

// OpenSSL reports a key that does not fit the certificate as an unusable key file; a
// key that parses on its own is told apart, since the fix is another file, not this one.
bool parses_as_key(const std::string& path) {
  FILE* file = std::fopen(path.c_str(), "r");
  if (!file) return false;
  EVP_PKEY* key = PEM_read_PrivateKey(file, nullptr, no_pass_phrase, nullptr);
  std::fclose(file);
  EVP_PKEY_free(key);
  ERR_clear_error();
  return key != nullptr;
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const TlsFiles& files, std::string* why) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    *why = files.cert_file.empty() ? "a TLS key file was given without its certificate file"
                                   : "a TLS certificate file was given without its key file";
    return nullptr;
  }
  if (!readable(files.cert_file, "certificate", why) || !readable(files.key_file, "key", why)) return nullptr;

  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  // TLS 1.0 and 1.1 are deprecated (RFC 8996); 1.3 and 1.2 cover every current client.
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  // No client-initiated renegotiation (a CPU lever for an attacker); no compression (CRIME).
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // An idle connection gives its record buffers back to the allocator.
  SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_default_passwd_cb(native, no_pass_phrase);

  boost::system::error_code ec;
  context->use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    *why = "bad TLS certificate file '" + files.cert_file + "': " + reason(ec);
    return nullptr;
  }
  context->use_private_key_file(files.key_file, ssl::context::pem, ec);
  if (ec && parses_as_key(files.key_file)) ec = {};  // the mismatch is reported below
  if (ec) {
    *why = "bad TLS key file '" + files.key_file + "': " + reason(ec);
    return nullptr;
  }
  if (SSL_CTX_get0_privatekey(native) == nullptr || SSL_CTX_check_private_key(native) != 1) {
    *why = "the TLS key in '" + files.key_file + "' does not belong to the certificate in '" + files.cert_file + "'";
    ERR_clear_error();
    return nullptr;
  }
  return context;
}

}  // namespace roost::transport
