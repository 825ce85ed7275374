// weft::net::IoError and IoResult<T>: the runtime's I/O results
// (runtime/io/io_result.h), under the names socket code has always used.
#pragma once

#include "runtime/io/io_result.h"

namespace weft::net {

using io::errno_name;
using io::IoError;
using io::IoResult;

}  // namespace weft::net
