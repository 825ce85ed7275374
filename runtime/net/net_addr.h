// weft::net::SocketAddr: an IPv4 or IPv6 address and a port, the one
// address type of the real and the simulated network. Names are not
// resolved: parse() accepts literals only ("127.0.0.1:8080",
// "[::1]:8080"), so nothing in weft blocks on DNS; resolve() is the same
// with the error as a value, for code written against a resolver.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/net/io_result.h"

struct sockaddr;
struct sockaddr_storage;

namespace weft::net {

class SocketAddr {
 public:
  enum class Family : std::uint8_t { kV4, kV6 };

  SocketAddr() = default;  // 0.0.0.0:0
  static SocketAddr v4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                       std::uint8_t d, std::uint16_t port) noexcept;
  static SocketAddr v6(const std::array<std::uint8_t, 16>& bytes,
                       std::uint16_t port) noexcept;
  // "a.b.c.d:port" or "[v6]:port"; nullopt for anything else.
  static std::optional<SocketAddr> parse(std::string_view text);
  // An address without a port: "a.b.c.d" or a bare IPv6 literal ("::1");
  // port 0.
  static std::optional<SocketAddr> parse_ip(std::string_view text);

  Family family() const noexcept { return family_; }
  std::uint16_t port() const noexcept { return port_; }
  SocketAddr with_port(std::uint16_t port) const noexcept {
    SocketAddr copy = *this;
    copy.port_ = port;
    return copy;
  }
  // The address without the port (for host lookups in the simulation).
  const std::array<std::uint8_t, 16>& bytes() const noexcept { return bytes_; }
  bool is_unspecified() const noexcept;
  std::string to_string() const;
  std::string ip_string() const;

  // Conversions to and from the OS's socket addresses.
  static std::optional<SocketAddr> from_sockaddr(const sockaddr* address);
  // Writes the address; returns its length.
  unsigned to_sockaddr(sockaddr_storage& out) const noexcept;

  friend auto operator<=>(const SocketAddr&, const SocketAddr&) = default;

 private:
  Family family_ = Family::kV4;
  std::array<std::uint8_t, 16> bytes_{};  // v4 uses the first four
  std::uint16_t port_ = 0;
};

// parse() with an error naming the input and what is accepted (EINVAL).
IoResult<SocketAddr> resolve(std::string_view text);

}  // namespace weft::net
