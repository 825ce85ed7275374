// weft::sim::install_fatal_handlers: the process-wide handlers that make a
// crash during a simulated run print what replays it. Installed once, the
// first time a simulator runs; each asks the hooks of the thread it fires
// on (runtime/hooks.h, RuntimeHooks::describe_fatal) what to print, so a
// crash outside any simulation, or on another thread, goes on as before.
//
//   SIGSEGV, SIGBUS, SIGILL, SIGFPE  only in builds without a sanitizer
//                                    (a sanitizer handles these itself and
//                                    then calls its death callback)
//   SIGABRT, SIGTERM                 always (SIGTERM is how a test timeout
//                                    ends a hung run)
//   the sanitizers' death callback   when a sanitizer runtime is linked
//   std::terminate                   always
//
// After printing, each passes the event on: the previous signal action is
// restored and the signal raised again, the previous terminate handler
// runs. Handlers on their own alternate stack, so that a stack overflow
// is reported too.
#pragma once

namespace weft::sim {

void install_fatal_handlers();

// Sets up an alternate signal stack for the calling thread if it has none
// (a stack overflow can only be reported from one).
void ensure_alternate_signal_stack();

}  // namespace weft::sim
