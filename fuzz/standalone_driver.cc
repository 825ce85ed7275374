// A main() for fuzz targets built without libFuzzer: runs
// LLVMFuzzerTestOneInput on every file named on the command line (a folder
// means every regular file in it, in name order), so a target's corpus
// replays as an ordinary test. A failing input aborts the process with its
// report. Inputs are read within a limit, and special files (devices,
// FIFOs) are refused, never read or waited on.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/decision/decision_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

constexpr std::size_t kInputBytesMax = 1u << 20;
constexpr std::size_t kFolderFilesMax = 100'000;

bool run_file(const std::string& path) {
  weft::sim::FileContents file =
      weft::sim::read_bounded_file(path, kInputBytesMax);
  if (!file.error.empty()) {
    std::fprintf(stderr, "weft fuzz driver: %s\n", file.error.c_str());
    return false;
  }
  LLVMFuzzerTestOneInput(
      reinterpret_cast<const std::uint8_t*>(file.bytes.data()),
      file.bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: %s <input file or corpus folder>...\n"
                 "(built without libFuzzer: runs each input once; build with "
                 "--config=fuzz for a fuzzing campaign)\n",
                 argv[0]);
    return 2;
  }
  std::size_t inputs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path path = argv[i];
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
      std::vector<std::string> files;
      for (const auto& entry :
           std::filesystem::directory_iterator(path, error)) {
        if (entry.is_regular_file(error)) files.push_back(entry.path());
        if (files.size() > kFolderFilesMax) {
          std::fprintf(stderr,
                       "weft fuzz driver: %s holds more than %zu files\n",
                       argv[i], kFolderFilesMax);
          return 1;
        }
      }
      std::sort(files.begin(), files.end());
      for (const std::string& file : files) {
        if (!run_file(file)) return 1;
        ++inputs;
      }
    } else {
      if (!run_file(argv[i])) return 1;
      ++inputs;
    }
  }
  if (inputs == 0) {
    std::fprintf(stderr, "weft fuzz driver: no input files were given\n");
    return 1;
  }
  std::printf("weft fuzz driver: %zu inputs ran without a checker firing\n",
              inputs);
  return 0;
}
