// The whole zoo in one list, for tools that walk it (the hunt, the report
// pages): the plain async components, then the network's, then storage's.
#pragma once

#include <vector>

#include "sim/zoo/catalogue.h"
#include "sim/zoo/network_catalogue.h"
#include "sim/zoo/storage_catalogue.h"

namespace weft::zoo {

inline std::vector<Component> whole_zoo() {
  std::vector<Component> all = catalogue();
  for (Component& c : network_catalogue()) all.push_back(std::move(c));
  for (Component& c : storage_catalogue()) all.push_back(std::move(c));
  return all;
}

}  // namespace weft::zoo
