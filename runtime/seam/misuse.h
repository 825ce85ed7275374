// weft::report_misuse: the one place where a broken runtime protocol (poll
// after Ready, awaiting a moved-from future, spawning on a destroyed
// executor, ...) is reported.
//
// With no hooks installed (see hooks.h) it prints "weft: misuse: <what> (at
// file:line)" to stderr and aborts: a misuse is a bug in the calling code,
// and going on would be undefined behaviour. A simulator's hooks turn the
// misuse into a checker failure with a replayable report instead.
//
// Two forms:
//   report_misuse            never returns: the hooks throw, or it aborts.
//   report_misuse_no_unwind  for destructors and other code that must not
//                            throw: the hooks record the misuse and it
//                            returns, so the caller must leave things in a
//                            safe state afterwards; without hooks it aborts.
#pragma once

#include <cstddef>
#include <string_view>

#include "runtime/seam/source_location.h"

namespace weft {

[[noreturn]] void report_misuse(std::string_view what,
                                SourceLocation where = {});

void report_misuse_no_unwind(std::string_view what,
                             SourceLocation where = {}) noexcept;

// Formats the default message; exposed so hooks can reuse the wording.
void format_misuse(std::string_view what, SourceLocation where, char* out,
                   std::size_t out_size) noexcept;

}  // namespace weft
