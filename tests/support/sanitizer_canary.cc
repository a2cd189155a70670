// SPDX-License-Identifier: Apache-2.0
// Built only with CUPS_WPS_SANITIZE: a program with one deliberate signed
// overflow, which tests/run runs once to show that its scan of sanitizer
// reports (log_path) finds a report when there is one.
#include <climits>

int main(int argc, char**) {
  volatile int x = INT_MAX;
  x = x + argc;  // UndefinedBehaviorSanitizer: signed integer overflow
  return x == 0 ? 0 : 1;
}
