// SPDX-License-Identifier: Apache-2.0
// Reading a PIN without exposing it; see pin_input.h.
#include "wps/pin_input.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iterator>

#include "wps/secret.h"

namespace cupswps::wps {
namespace {

constexpr std::size_t kMaxLine = 255;

volatile sig_atomic_t g_prompt_interrupted = 0;
void OnPromptSignal(int) { g_prompt_interrupted = 1; }

// Reads up to a newline or EOF into `line` (a wiped buffer). Byte by byte, so
// that nothing after the first line is consumed from a shared stdin.
Status ReadLine(int fd, SecretString& line, const char* what) {
  std::string& s = line.str();
  for (;;) {
    char c = 0;
    const ssize_t n = read(fd, &c, 1);
    if (n < 0 && errno == EINTR) {
      if (g_prompt_interrupted != 0) return Error{ErrorCode::kCancelled, "Interrupted.", ""};
      continue;
    }
    if (n < 0) {
      return Error{ErrorCode::kInvalidArgument, std::string("Cannot read the PIN from ") + what + ".",
                   std::strerror(errno)};
    }
    if (n == 0 || c == '\n') break;
    if (s.size() >= kMaxLine) {
      Wipe(&c, 1);
      return Error{ErrorCode::kInvalidArgument, std::string("The PIN from ") + what + " is too long.", ""};
    }
    s.push_back(c);
    Wipe(&c, 1);
  }
  if (s.empty()) return Error{ErrorCode::kInvalidArgument, std::string("No PIN in ") + what + ".", ""};
  return {};
}

Result<Pin> ParseLine(int fd, const char* what) {
  SecretString line;
  if (auto r = ReadLine(fd, line, what); !r) return r.error();
  return ParsePin(line.str());
}

// Restores the terminal's echo however the prompt ends: Ctrl-C and friends
// interrupt the read (no SA_RESTART) instead of killing us with echo off.
class EchoOff {
 public:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

  explicit EchoOff(int fd) : fd_(fd) {
    g_prompt_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = &OnPromptSignal;
    sigemptyset(&sa.sa_mask);
    for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &sa, &old_actions_[i]);
    if (tcgetattr(fd_, &saved_) == 0) {
      termios quiet = saved_;
      quiet.c_lflag &= static_cast<tcflag_t>(~ECHO);
      quiet.c_lflag |= ECHONL;
      active_ = tcsetattr(fd_, TCSAFLUSH, &quiet) == 0;
    }
  }
  ~EchoOff() {
    if (active_) tcsetattr(fd_, TCSAFLUSH, &saved_);
    for (std::size_t i = 0; i < std::size(kSignals); ++i) sigaction(kSignals[i], &old_actions_[i], nullptr);
  }
  EchoOff(const EchoOff&) = delete;
  EchoOff& operator=(const EchoOff&) = delete;
  bool active() const { return active_; }

 private:
  int fd_;
  termios saved_{};
  struct sigaction old_actions_[std::size(kSignals)] {};
  bool active_ = false;
};

}  // namespace

Result<Pin> ReadPinFile(const std::string& path) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Error{ErrorCode::kInvalidArgument, "Cannot open the PIN file " + path + ": " + std::strerror(errno) + ".",
                 ""};
  }
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Error{ErrorCode::kInvalidArgument, "The PIN file " + path + " is not a regular file.", ""};
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    close(fd);
    return Error{ErrorCode::kInvalidArgument,
                 "The PIN file " + path + " can be read by others; make it private (chmod 600 " + path + ").", ""};
  }
  auto pin = ParseLine(fd, "the PIN file");
  close(fd);
  return pin;
}

Result<Pin> ReadPinFd(int fd) { return ParseLine(fd, "standard input"); }

Result<Pin> PromptPin(const char* prompt) {
  const int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return Error{ErrorCode::kInvalidArgument,
                 "There is no terminal to ask for the PIN; use --pin-file or --pin-stdin.", std::strerror(errno)};
  }
  Result<Pin> pin = Error{};
  {
    EchoOff quiet(fd);
    if (!quiet.active()) {
      close(fd);
      return Error{ErrorCode::kInvalidArgument, "Cannot turn off echo on the terminal to ask for the PIN.", ""};
    }
    if (write(fd, prompt, std::strlen(prompt)) < 0) { /* the read below reports the problem */ }
    pin = ParseLine(fd, "the terminal");
  }
  close(fd);
  return pin;
}

}  // namespace cupswps::wps
