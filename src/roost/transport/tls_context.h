// Role: builds the server's TLS settings (an Asio/OpenSSL context) from a PEM
// certificate chain and a PEM private key: TLS 1.2 or newer, cipher choice left to
// OpenSSL's defaults, the key checked against the certificate. Used once at start-up,
// so that a bad file stops the server before it listens.
// Thread affinity: make_tls_context runs on the starting thread; the context it returns
// is then only read (SSL_new per connection), which OpenSSL allows from every loop.
// Ownership: the caller owns the context; each TLS connection shares it.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

namespace roost::transport {

struct TlsFiles {
  std::string cert_file;  // PEM: the certificate, then any intermediates
  std::string key_file;   // PEM: the private key (unencrypted)

  bool wanted() const noexcept { return !cert_file.empty() || !key_file.empty(); }
};

// The context, or nullptr with `*why` set to one line naming the file and the problem
// (a missing half of the pair, an unreadable or non-PEM file, a key that does not
// belong to the certificate).
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const TlsFiles& files, std::string* why);

}  // namespace roost::transport
