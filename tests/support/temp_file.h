// SPDX-License-Identifier: Apache-2.0
// A temporary file of one test's own (mkstemp in GoogleTest's TempDir), so
// that tests running in parallel never share a path. Removed with the object.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace cupswps::testing {

class TempFile {
 public:
  explicit TempFile(const std::string& contents = "") {
    std::string pattern = ::testing::TempDir() + "/cups-wps-test-XXXXXX";
    const int fd = mkstemp(pattern.data());
    if (fd < 0) throw std::runtime_error("mkstemp failed in " + ::testing::TempDir());
    close(fd);
    path = pattern;
    std::ofstream(path) << contents;
  }
  ~TempFile() { unlink(path.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  bool Exists() const { return std::ifstream(path).good(); }

  std::string path;
};

}  // namespace cupswps::testing
