// Shared sub-command helpers; see cli.h.
#include "backend/cli.h"

#include <cstdio>

#include "common/handle.h"
#include "common/log.h"

namespace cupswps::backend {

bool ParseOptions(const char* command, const char* synopsis, const char* summary, const GOptionEntry* entries,
                  int* argc, char*** argv) {
  CPtr<GOptionContext, g_option_context_free> ctx(g_option_context_new(synopsis));
  g_option_context_add_main_entries(ctx.get(), entries, nullptr);
  if (summary != nullptr) g_option_context_set_summary(ctx.get(), summary);
  GError* error = nullptr;
  if (!g_option_context_parse(ctx.get(), argc, argv, &error)) {
    log::Error(std::string(error->message) + " (see 'cups-wps " + command + " --help')");
    g_error_free(error);
    return false;
  }
  return true;
}

void Out(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}

}  // namespace cupswps::backend
