// SPDX-License-Identifier: Apache-2.0
// Jobs through the verifying relay; see pinned_job.h.
#include "backend/pinned_job.h"

#include <cups/backend.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "backend/pinned_relay.h"
#include "common/log.h"

extern char** environ;

namespace cupswps::backend {
namespace {

constexpr std::chrono::milliseconds kConnectTimeout{10000};
constexpr int kChildGraceMs = 1000;  // after SIGTERM, before SIGKILL

int g_wake[2] = {-1, -1};
volatile sig_atomic_t g_terminate = 0;

// Async-signal-safe: note it, wake the loop.
void OnSignal(int sig) {
  const int saved = errno;
  if (sig == SIGTERM) g_terminate = 1;
  if (write(g_wake[1], "s", 1) < 0) { /* the pipe is full: the loop is awake already */ }
  errno = saved;
}

void Drain(int fd) {
  char buf[64];
  while (read(fd, buf, sizeof buf) > 0) {
  }
}

// Reaps `pid` if it has exited; its raw status in *status.
bool Reaped(pid_t pid, int* status) { return waitpid(pid, status, WNOHANG) == pid; }

// Ends the ipp backend at once: its first SIGTERM only flags the job as
// cancelled (it then tries to cancel it at the printer, which the relay no
// longer lets through), its second ends it; SIGKILL after the grace time.
// Returns the raw status.
int StopChild(pid_t pid) {
  int status = 0;
  kill(pid, SIGTERM);
  for (int waited = 0; waited < kChildGraceMs; waited += 50) {
    if (Reaped(pid, &status)) return status;
    // Pending signals of one kind merge: the second goes once the first is in.
    if (waited == 100) kill(pid, SIGTERM);
    pollfd p{g_wake[0], POLLIN, 0};
    if (poll(&p, 1, 50) > 0) Drain(g_wake[0]);
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return status;
}

}  // namespace

int ReportIdentityMismatch(const std::string& queue, const std::vector<std::string>& detail) {
  for (const std::string& line : detail) log::Debug(line);
  std::fputs("STATE: +cups-pki-changed\n", stderr);
  log::Error("The printer answering for this queue is not the one it was made for; if it was reset or replaced, "
             "run 'cups-wps trust " + queue + "'.");
  return CUPS_BACKEND_STOP;
}

int RunPinnedJob(const discovery::Endpoint& printer, const std::string& key_pin, const std::string& ipp_backend,
                 char** argv, const std::string& queue) {
  auto relay = PinnedRelay::Listen(printer, key_pin, kConnectTimeout);
  if (!relay) {
    log::Debug(relay.error().detail);
    log::Error(relay.error().message);
    return CUPS_BACKEND_RETRY;
  }
  // SNMP would go to the loopback address; the printer's state comes over IPP.
  const std::string uri =
      "ipp://127.0.0.1:" + std::to_string((*relay)->port()) + "/" + printer.resource + "?snmp=false";
  log::Debug("printing to " + printer.Uri() + " through " + uri + ": every TLS session must present " + key_pin);

  // Everything the child needs is made before fork: after it, only execve.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "DEVICE_URI=", 11) != 0) env_strings.emplace_back(*e);
  }
  env_strings.push_back("DEVICE_URI=" + uri);
  std::vector<char*> envp;
  for (std::string& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string argv0 = uri;
  std::vector<char*> child_argv{argv0.data()};
  for (char** a = argv + 1; *a != nullptr; ++a) child_argv.push_back(*a);
  child_argv.push_back(nullptr);

  if (pipe2(g_wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    log::Error(std::string("Cannot start CUPS's ipp backend: ") + std::strerror(errno));
    return CUPS_BACKEND_RETRY;
  }
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  struct sigaction old_term {}, old_chld {};
  sigaction(SIGTERM, &sa, &old_term);
  sigaction(SIGCHLD, &sa, &old_chld);

  int status = 0;
  bool mismatch = false;
  const pid_t pid = fork();
  if (pid == 0) {
    execve(ipp_backend.c_str(), child_argv.data(), envp.data());
    _exit(127);
  }
  if (pid < 0) {
    log::Error(std::string("Cannot start CUPS's ipp backend: ") + std::strerror(errno));
    status = CUPS_BACKEND_RETRY << 8;
  } else {
    for (;;) {
      if ((*relay)->Serve(g_wake[0]) == PinnedRelay::Wake::kMismatch) {
        mismatch = true;
        status = StopChild(pid);
        break;
      }
      Drain(g_wake[0]);
      if (g_terminate != 0) {
        g_terminate = 0;
        kill(pid, SIGTERM);  // the job was cancelled: the ipp backend cancels it at the printer
      }
      if (Reaped(pid, &status)) break;
    }
  }
  const std::string presented = (*relay)->mismatch();
  relay->reset();  // every relayed connection ends here
  sigaction(SIGTERM, &old_term, nullptr);
  sigaction(SIGCHLD, &old_chld, nullptr);
  close(g_wake[0]);
  close(g_wake[1]);
  if (mismatch) {
    return ReportIdentityMismatch(queue, {"a TLS session to " + printer.Uri() + " presented " + presented +
                                          ", not the pinned " + key_pin + "; nothing was sent over it"});
  }
  if (WIFEXITED(status)) {
    if (WEXITSTATUS(status) == 127) log::Error("Cannot run CUPS's ipp backend (" + ipp_backend + ").");
    return WEXITSTATUS(status) == 127 ? CUPS_BACKEND_FAILED : WEXITSTATUS(status);
  }
  return CUPS_BACKEND_FAILED;
}

}  // namespace cupswps::backend
