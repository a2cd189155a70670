// SPDX-License-Identifier: Apache-2.0
// Test support for the lab; see lab.h.
#include "tests/support/lab.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace cupswps::testing {
namespace {

int DecodeStatus(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

std::vector<char*> CArgv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string Joined(const std::vector<std::string>& argv) {
  std::string s;
  for (const std::string& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Reads both pipes until EOF; writes stdin_text first.
void Drain(int out_fd, int err_fd, CmdResult* r) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  int open_fds = 2;
  char buf[4096];
  while (open_fds > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      } else {
        (i == 0 ? r->out : r->err).append(buf, static_cast<std::size_t>(n));
      }
    }
  }
}

}  // namespace

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

std::string FileText(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

std::string CmdlineSnapshot() {
  std::string all;
  for (auto& [pid, cmdline] : EveryProcess("cmdline")) {
    for (char& c : cmdline) {
      if (c == '\0') c = ' ';
    }
    all += cmdline + '\n';
  }
  return all;
}

std::string ArgvWhileRunning(Child& child, std::chrono::seconds limit, const std::string& last_line) {
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (child.Running() && std::chrono::steady_clock::now() < deadline) {
    seen += CmdlineSnapshot();
    child.WaitForLineContaining(last_line, std::chrono::milliseconds(50));
  }
  child.WaitForLineContaining(last_line, std::chrono::seconds(5));
  return seen;
}

std::string LineValue(const std::string& text, const std::string& key) {
  std::smatch m;
  return std::regex_search(text, m, std::regex("(^|\n)" + key + "=([^\n]*)")) ? m[2].str() : "";
}

std::string OtherPin(const std::string& pin) {
  const std::string seven = pin.rfind("1234567", 0) == 0 ? "2468123" : "1234567";
  int acc = 0;
  for (int i = 0; i < 7; ++i) acc += (seven[i] - '0') * (i % 2 == 0 ? 3 : 1);
  return seven + std::to_string((10 - acc % 10) % 10);
}

CmdResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    auto args = CArgv(argv);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (!stdin_text.empty()) {
    // Small inputs only (PINs, names): fits in the pipe buffer.
    if (write(in[1], stdin_text.data(), stdin_text.size()) < 0) { /* child may not read */ }
  }
  close(in[1]);
  CmdResult r;
  Drain(out[0], err[0], &r);
  int raw = 0;
  while (waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
  }
  r.status = DecodeStatus(raw);
  // A sanitizer report on a command's stderr goes to the test's output too,
  // whatever the test does with the result: tests/run scans that output
  // (UndefinedBehaviorSanitizer in gcc's combined runtime ignores log_path).
  if (r.err.find("runtime error:") != std::string::npos || r.err.find("Sanitizer") != std::string::npos) {
    std::fprintf(stderr, "sanitizer output of %s:\n%s\n", argv.empty() ? "?" : argv[0].c_str(), r.err.c_str());
  }
  return r;
}

Child::Child(const std::vector<std::string>& argv) {
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    const int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out[1], 1);
    setpgid(0, 0);
    auto args = CArgv(argv);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(out[1]);
  out_fd_ = out[0];
}

Child::~Child() {
  if (!reaped_) {
    Signal(SIGTERM);
    for (int i = 0; i < 500 && !reaped_; ++i) {
      int raw = 0;
      const pid_t r = waitpid(pid_, &raw, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        break;
      }
      usleep(10000);
    }
    if (!reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  if (out_fd_ >= 0) close(out_fd_);
}

std::optional<std::string> Child::WaitForLine(const std::function<bool(const std::string&)>& pred,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    while (next_line_ < lines_.size()) {
      const std::string& l = lines_[next_line_++];
      if (pred(l)) return l;
    }
    if (out_fd_ < 0) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    pollfd p{out_fd_, POLLIN, 0};
    const int rc = poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno == EINTR) continue;
    if (rc <= 0) continue;
    char buf[4096];
    const ssize_t n = read(out_fd_, buf, sizeof buf);
    if (n <= 0) {
      close(out_fd_);
      out_fd_ = -1;
      if (!buffer_.empty()) lines_.push_back(std::move(buffer_));
      buffer_.clear();
      continue;
    }
    buffer_.append(buf, static_cast<std::size_t>(n));
    for (std::size_t nl; (nl = buffer_.find('\n')) != std::string::npos;) {
      lines_.push_back(buffer_.substr(0, nl));
      buffer_.erase(0, nl + 1);
    }
  }
}

std::string Child::Text() const {
  std::string s;
  for (const std::string& l : lines_) s += l + "\n";
  return s;
}

int Count(const std::string& haystack, const std::string& needle) {
  int n = 0;
  for (std::size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) ++n;
  return n;
}

std::string JsonField(const std::string& json, const std::string& key) {
  std::smatch m;
  if (std::regex_search(json, m, std::regex("\"" + key + "\":\"([^\"]*)\""))) return m[1];
  return {};
}

int LineCount(const std::string& path) {
  std::ifstream f(path);
  int n = 0;
  for (std::string l; std::getline(f, l);) ++n;
  return n;
}

std::vector<std::pair<std::string, std::string>> EveryProcess(const std::string& file) {
  std::vector<std::pair<std::string, std::string>> out;
  DIR* d = opendir("/proc");
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    // read(2): a process may end while it is read (libstdc++ streams throw then).
    const int fd = open((std::string("/proc/") + e->d_name + "/" + file).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    std::string contents;
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) contents.append(buf, static_cast<std::size_t>(n));
    close(fd);
    out.emplace_back(e->d_name, std::move(contents));
  }
  closedir(d);
  return out;
}

bool Child::Seen(const std::string& needle, std::chrono::milliseconds timeout) {
  for (const std::string& l : lines_) {
    if (l.find(needle) != std::string::npos) return true;
  }
  return WaitForLineContaining(needle, timeout).has_value();
}

void Child::Signal(int sig) {
  if (!reaped_ && pid_ > 0) kill(pid_, sig);
}

bool Child::Running() {
  if (reaped_) return false;
  int raw = 0;
  if (waitpid(pid_, &raw, WNOHANG) != pid_) return true;
  reaped_ = true;
  status_ = DecodeStatus(raw);
  return false;
}

int Child::Wait() {
  if (!reaped_) {
    int raw = 0;
    while (waitpid(pid_, &raw, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    status_ = DecodeStatus(raw);
  }
  return status_;
}

Lab::Lab(std::string id) : id_(std::move(id)), dir_("/tmp/cups-wps-lab-" + id_) {}

Lab::~Lab() {
  try {
    Down();
  } catch (...) {
  }
}

std::vector<std::string> Lab::Env() const {
  return {"env", "CUPS_WPS_LAB_ID=" + id_, "CUPS_WPS_LAB_DIR=" + dir_, "CUPS_WPS_LAB_QUIET=1"};
}

CmdResult Lab::Run(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::vector<std::string> argv = Env();
  argv.push_back(LabScriptPath());
  argv.insert(argv.end(), args.begin(), args.end());
  CmdResult r = RunCommand(argv, stdin_text);
  if (r.status != 0) {
    throw std::runtime_error("cups-wps-lab " + Joined(args) + " failed (" + std::to_string(r.status) +
                             "): " + r.err);
  }
  return r;
}

void Lab::Up() {
  Run({"up", "--backend", BackendPath(), "--driver", DriverPath()});
  up_ = true;
}

void Lab::Down() {
  if (!up_) return;
  up_ = false;
  Run({"down"});
}

std::string Lab::AddPrinter(const std::string& name, const std::vector<std::string>& options) {
  std::vector<std::string> args = {"add-printer", name};
  args.insert(args.end(), options.begin(), options.end());
  CmdResult r = Run(args);
  std::string host = r.out;
  while (!host.empty() && (host.back() == '\n' || host.back() == ' ')) host.pop_back();
  return host;
}

CmdResult Lab::Sh(const std::string& host, const std::vector<std::string>& argv, const std::string& stdin_text) {
  std::vector<std::string> full = Env();
  full.push_back(LabScriptPath());
  full.push_back("sh");
  full.push_back(host);
  full.insert(full.end(), argv.begin(), argv.end());
  return RunCommand(full, stdin_text);
}

std::unique_ptr<Child> Lab::Start(const std::vector<std::string>& args) {
  std::vector<std::string> argv = Env();
  argv.push_back(LabScriptPath());
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<Child>(argv);
}

std::unique_ptr<Child> Lab::Spawn(const std::string& host, const std::vector<std::string>& argv) {
  std::vector<std::string> args = {"sh", host};
  args.insert(args.end(), argv.begin(), argv.end());
  return Start(args);
}

std::unique_ptr<Child> Lab::Events(const std::string& host) {
  std::unique_ptr<Child> c = Start({"wps-events", host});
  if (!c->WaitForLineContaining("ready", std::chrono::seconds(15))) {
    throw std::runtime_error("no event monitor on " + host);
  }
  return c;
}

bool Lab::ReadAllEvents(Child& events) {
  events.Signal(SIGUSR1);  // wlan.py monitor: PING through the control socket, "mark" at its PONG
  return events.WaitForLine([](const std::string& l) { return l == "mark"; }, std::chrono::seconds(15)).has_value();
}

std::string Lab::WpsUuid(const std::string& host) const {
  std::ifstream conf(dir_ + "/" + host + "/wpa_supplicant.conf");
  for (std::string l; std::getline(conf, l);) {
    if (l.rfind("uuid=", 0) == 0) return l.substr(5);
  }
  return {};
}

std::string CupsWpsPath() { return CUPS_WPS_TEST_CUPS_WPS; }
std::string BackendPath() { return CUPS_WPS_TEST_BACKEND; }
std::string DriverPath() { return CUPS_WPS_TEST_DRIVER; }
std::string LabScriptPath() { return CUPS_WPS_TEST_LAB; }

}  // namespace cupswps::testing
