// The hunt's output: a table for people, JSON for tools (made with
// nlohmann::json, so any text, a tab in a path included, stays valid).
#pragma once

#include <string>
#include <vector>

#include "examples/hunt/run.h"

namespace weft::hunt {

std::string render_table(const std::vector<Row>& rows,
                         const HuntOptions& options, double seconds);
std::string render_json(const std::vector<Row>& rows);

}  // namespace weft::hunt
