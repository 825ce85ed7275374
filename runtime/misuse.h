// weft::report_misuse: the one place where a broken runtime protocol (poll
// after Ready, awaiting a moved-from future, spawning on a destroyed
// executor, ...) is reported.
//
// The default handler prints "weft: misuse: <what> (at file:line)" to stderr
// and aborts: a misuse is a bug in the calling code, and continuing would be
// undefined behaviour. A simulator installs its own handler to turn the
// misuse into a checker failure with a replayable report; if that handler
// returns instead of throwing, the process still aborts.
#pragma once

#include <string_view>

#include "runtime/source_location.h"

namespace weft {

using MisuseHandler = void (*)(std::string_view what, SourceLocation where);

// Reports a misuse and never returns normally (it aborts or the installed
// handler throws).
[[noreturn]] void report_misuse(std::string_view what,
                                SourceLocation where = {});

// Installs `handler` for the calling thread and returns the previous one;
// nullptr restores the default (print and abort).
MisuseHandler set_misuse_handler(MisuseHandler handler) noexcept;
// The handler for threads that installed none of their own (for example
// the workers of a ThreadPoolExecutor); nullptr: print and abort.
void set_process_misuse_handler(MisuseHandler handler) noexcept;

// Formats the default message; exposed so handlers can reuse the wording.
void format_misuse(std::string_view what, SourceLocation where, char* out,
                   std::size_t out_size) noexcept;

}  // namespace weft
