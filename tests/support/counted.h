// weft::testing::Counted: counts how many instances are alive, so a test can
// check that dropping a task or a coroutine ran every destructor in its tree.
#pragma once

namespace weft::testing {

class Counted {
 public:
  explicit Counted(int* live) : live_(live) { ++*live_; }
  Counted(const Counted& other) : live_(other.live_) { ++*live_; }
  Counted& operator=(const Counted&) = delete;
  ~Counted() { --*live_; }

 private:
  int* live_;
};

}  // namespace weft::testing
