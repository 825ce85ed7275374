// A main() for fuzz targets built without libFuzzer: runs
// LLVMFuzzerTestOneInput on every file named on the command line (a folder
// means every file in it, in name order), so a target's corpus replays as
// an ordinary test. A failing input aborts the process with its report.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

constexpr std::size_t kInputBytesMax = 1u << 20;

bool run_file(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::fprintf(stderr, "weft fuzz driver: cannot read %s\n", path.c_str());
    return false;
  }
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                  std::istreambuf_iterator<char>());
  if (bytes.size() > kInputBytesMax) {
    std::fprintf(stderr, "weft fuzz driver: %s is larger than %zu bytes\n",
                 path.c_str(), kInputBytesMax);
    return false;
  }
  LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
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
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(path)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        if (!run_file(file)) return 1;
        ++inputs;
      }
    } else if (std::filesystem::exists(path, error)) {
      if (!run_file(path)) return 1;
      ++inputs;
    } else {
      std::fprintf(stderr, "weft fuzz driver: %s does not exist\n", argv[i]);
      return 1;
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
