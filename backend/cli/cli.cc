// SPDX-License-Identifier: Apache-2.0
// Shared sub-command helpers; see cli.h.
#include "backend/cli/cli.h"

#include <grp.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

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

CommandLoop::CommandLoop() : loop_(g_main_loop_new(nullptr, FALSE)) {}

void CommandLoop::Run(bool handle_signals) {
  auto interrupt = [this] {
    interrupted_ = true;
    Quit();
  };
  SourceGuard sigint, sigterm;
  if (handle_signals) {
    sigint = OnUnixSignal(SIGINT, interrupt);
    sigterm = OnUnixSignal(SIGTERM, interrupt);
  }
  if (!interrupted_) g_main_loop_run(loop_.get());
}

void CommandLoop::Quit() { g_main_loop_quit(loop_.get()); }

bool MayAdministerQueues(const char* command) {
  if (geteuid() == 0) return true;
  const char* env = std::getenv("CUPS_WPS_ADMIN_GROUP");
  const std::string group_name = env != nullptr && *env != '\0' ? env : "lpadmin";
  if (const group* g = getgrnam(group_name.c_str())) {
    if (getegid() == g->gr_gid) return true;
    const int n = getgroups(0, nullptr);
    std::vector<gid_t> groups(n > 0 ? static_cast<std::size_t>(n) : 0);
    if (n > 0 && getgroups(n, groups.data()) == n) {
      for (const gid_t gid : groups) {
        if (gid == g->gr_gid) return true;
      }
    }
  }
  log::Error(std::string("'cups-wps ") + command + "' changes CUPS queues: run it as root or as a member of the " +
             group_name + " group.");
  return false;
}

std::string TakeOption(gchar*& value, const char* fallback) {
  std::string out = value != nullptr ? value : fallback;
  g_free(value);
  value = nullptr;
  return out;
}

void Out(const std::string& s) {
  std::fwrite(s.data(), 1, s.size(), stdout);
  std::fflush(stdout);
}

}  // namespace cupswps::backend
