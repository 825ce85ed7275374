#include "runtime/io/io_result.h"

#include <cerrno>
#include <cstring>

namespace weft::io {

std::string errno_name(int code) {
  switch (code) {
    case ECONNRESET:
      return "ECONNRESET";
    case ECONNREFUSED:
      return "ECONNREFUSED";
    case ECONNABORTED:
      return "ECONNABORTED";
    case EADDRINUSE:
      return "EADDRINUSE";
    case EADDRNOTAVAIL:
      return "EADDRNOTAVAIL";
    case EPIPE:
      return "EPIPE";
    case ENOTCONN:
      return "ENOTCONN";
    case ETIMEDOUT:
      return "ETIMEDOUT";
    case EHOSTUNREACH:
      return "EHOSTUNREACH";
    case ENETUNREACH:
      return "ENETUNREACH";
    case EINVAL:
      return "EINVAL";
    case EMSGSIZE:
      return "EMSGSIZE";
    case EBADF:
      return "EBADF";
    case EIO:
      return "EIO";
    case ENOSPC:
      return "ENOSPC";
    case ENOENT:
      return "ENOENT";
    case EEXIST:
      return "EEXIST";
    case ENOTDIR:
      return "ENOTDIR";
    case EISDIR:
      return "EISDIR";
    case ENOTEMPTY:
      return "ENOTEMPTY";
    case EACCES:
      return "EACCES";
    case EFBIG:
      return "EFBIG";
    case ENAMETOOLONG:
      return "ENAMETOOLONG";
    case ENODATA:
      return "ENODATA";
    case EROFS:
      return "EROFS";
    default:
      return std::to_string(code);
  }
}

std::string IoError::message() const {
  std::string text = operation;
  if (!detail.empty()) text += " " + detail;
  text += ": ";
  text += std::strerror(code);
  text += " (" + errno_name(code) + ")";
  return text;
}

}  // namespace weft::io
