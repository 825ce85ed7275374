#include "runtime/net/net_addr.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace weft::net {

SocketAddr SocketAddr::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c,
                          std::uint8_t d, std::uint16_t port) noexcept {
  SocketAddr address;
  address.family_ = Family::kV4;
  address.bytes_[0] = a;
  address.bytes_[1] = b;
  address.bytes_[2] = c;
  address.bytes_[3] = d;
  address.port_ = port;
  return address;
}

SocketAddr SocketAddr::v6(const std::array<std::uint8_t, 16>& bytes,
                          std::uint16_t port) noexcept {
  SocketAddr address;
  address.family_ = Family::kV6;
  address.bytes_ = bytes;
  address.port_ = port;
  return address;
}

std::optional<SocketAddr> SocketAddr::parse(std::string_view text) {
  std::string_view host;
  std::string_view port_text;
  bool v6 = false;
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
    v6 = true;
  } else {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  unsigned port = 0;
  const auto [end, error] = std::from_chars(
      port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() ||
      end != port_text.data() + port_text.size() || port > 65535) {
    return std::nullopt;
  }
  const std::string host_copy(host);  // inet_pton wants a C string
  SocketAddr address;
  address.port_ = static_cast<std::uint16_t>(port);
  if (v6) {
    address.family_ = Family::kV6;
    if (inet_pton(AF_INET6, host_copy.c_str(), address.bytes_.data()) != 1) {
      return std::nullopt;
    }
  } else {
    address.family_ = Family::kV4;
    if (inet_pton(AF_INET, host_copy.c_str(), address.bytes_.data()) != 1) {
      return std::nullopt;
    }
  }
  return address;
}

std::optional<SocketAddr> SocketAddr::parse_ip(std::string_view text) {
  const std::string copy(text);  // inet_pton wants a C string
  SocketAddr address;
  if (inet_pton(AF_INET, copy.c_str(), address.bytes_.data()) == 1) {
    return address;
  }
  address.family_ = Family::kV6;
  if (inet_pton(AF_INET6, copy.c_str(), address.bytes_.data()) == 1) {
    return address;
  }
  return std::nullopt;
}

bool SocketAddr::is_unspecified() const noexcept {
  for (std::uint8_t byte : bytes_) {
    if (byte != 0) return false;
  }
  return true;
}

std::string SocketAddr::ip_string() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family_ == Family::kV4 ? AF_INET : AF_INET6, bytes_.data(), text,
            sizeof text);
  return text;
}

std::string SocketAddr::to_string() const {
  const std::string port = std::to_string(port_);
  return family_ == Family::kV4 ? ip_string() + ":" + port
                                : "[" + ip_string() + "]:" + port;
}

std::optional<SocketAddr> SocketAddr::from_sockaddr(const sockaddr* address) {
  SocketAddr out;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    out.family_ = Family::kV4;
    std::memcpy(out.bytes_.data(), &v4.sin_addr, 4);
    out.port_ = ntohs(v4.sin_port);
    return out;
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    out.family_ = Family::kV6;
    std::memcpy(out.bytes_.data(), &v6.sin6_addr, 16);
    out.port_ = ntohs(v6.sin6_port);
    return out;
  }
  return std::nullopt;
}

unsigned SocketAddr::to_sockaddr(sockaddr_storage& out) const noexcept {
  std::memset(&out, 0, sizeof out);
  if (family_ == Family::kV4) {
    sockaddr_in v4{};
    v4.sin_family = AF_INET;
    v4.sin_port = htons(port_);
    std::memcpy(&v4.sin_addr, bytes_.data(), 4);
    std::memcpy(&out, &v4, sizeof v4);
    return sizeof v4;
  }
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  v6.sin6_port = htons(port_);
  std::memcpy(&v6.sin6_addr, bytes_.data(), 16);
  std::memcpy(&out, &v6, sizeof v6);
  return sizeof v6;
}

IoResult<SocketAddr> resolve(std::string_view text) {
  if (std::optional<SocketAddr> address = SocketAddr::parse(text)) {
    return *address;
  }
  return IoError{EINVAL, "resolve",
                 "'" + std::string(text) +
                     "' is not a literal address (accepted: "
                     "a.b.c.d:port or [ipv6]:port; names are not resolved)"};
}

}  // namespace weft::net
