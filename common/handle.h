// SPDX-License-Identifier: Apache-2.0
// RAII for C handles: one deleter template keyed on the C free function, and
// the aliases the project uses. Ownership follows std::unique_ptr rules; a
// function that consumes a handle takes it by rvalue.
#pragma once

#include <memory>

namespace cupswps {

template <auto FreeFn>
struct CDeleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    if (p != nullptr) FreeFn(p);
  }
};

template <typename T, auto FreeFn>
using CPtr = std::unique_ptr<T, CDeleter<FreeFn>>;

}  // namespace cupswps
