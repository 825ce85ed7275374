// weft::sim::heap_quarantine_linked: what makes a static link pull in
// heap_quarantine.cc (the replacement operator new/delete that routes
// freed heap blocks through a simulation's quarantine). The GoogleTest
// glue calls it, so every simulated test has the quarantine whatever the
// build system; it says whether the routing is active in this build (not
// under ASan or TSan, which find such accesses themselves).
#pragma once

namespace weft::sim {

bool heap_quarantine_linked() noexcept;

}  // namespace weft::sim
