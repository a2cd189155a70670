// SPDX-License-Identifier: Apache-2.0
// Test support: drive tests/lab/cups-wps-lab (network namespaces with real
// avahi-daemon, cupsd, ippeveprinter, hostapd, wpa_supplicant) from GoogleTest.
// A peer that cannot start throws, so the test fails; nothing is skipped.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cupswps::testing {

struct CmdResult {
  int status = -1;  // exit status, or 128 + signal
  std::string out;
  std::string err;
};

// How often `needle` occurs in `haystack`.
int Count(const std::string& haystack, const std::string& needle);
// The string value of "key" in a line of JSON, or "".
std::string JsonField(const std::string& json, const std::string& key);
// Lines in a file (0 when it does not exist): e.g. a lab printer's printed.log.
int LineCount(const std::string& path);
// /proc/PID/<file> (e.g. "cmdline", "environ") of every process running now,
// as (PID, raw contents); processes that end while they are read are left out.
std::vector<std::pair<std::string, std::string>> EveryProcess(const std::string& file);

// `s` without trailing newlines and spaces.
std::string Trim(std::string s);
bool Contains(const std::string& s, const std::string& needle);
// A whole file ("" when it cannot be read).
std::string FileText(const std::string& path);
// Every process's argv now, one per line (arguments joined by spaces): to
// check that a secret never shows in a process list.
std::string CmdlineSnapshot();
class Child;
// Snapshots of every argv on the machine (CmdlineSnapshot, every 50 ms)
// while `child` runs, up to `limit`; then the rest of its output is read
// (until `last_line` or 5 s). Returns the snapshots.
std::string ArgvWhileRunning(Child& child, std::chrono::seconds limit, const std::string& last_line);
// A line "key=value" of wpa_cli/hostapd_cli/router-info output: the value, or "".
std::string LineValue(const std::string& text, const std::string& key);
// Another valid WPS PIN (its last digit the checksum) than `pin`.
std::string OtherPin(const std::string& pin);

// Runs argv to completion and captures its output.
CmdResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "");

// A running process whose stdout is read line by line.
class Child {
 public:
  explicit Child(const std::vector<std::string>& argv);
  ~Child();  // SIGTERM, then SIGKILL after 5 s, and reaps it
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Reads stdout until a line satisfies `pred` (returned) or `timeout`
  // passes or the stream ends (nullopt). Lines read are kept in lines().
  std::optional<std::string> WaitForLine(const std::function<bool(const std::string&)>& pred,
                                         std::chrono::milliseconds timeout);
  std::optional<std::string> WaitForLineContaining(const std::string& needle, std::chrono::milliseconds timeout) {
    return WaitForLine([&](const std::string& l) { return l.find(needle) != std::string::npos; }, timeout);
  }
  // True when any line so far, or one read within `timeout`, contains
  // `needle`: for events that may come in any order.
  bool Seen(const std::string& needle, std::chrono::milliseconds timeout);
  void Signal(int sig);
  int Wait();  // exit status, or 128 + signal
  bool Running();  // false once it has exited (then Wait returns at once)
  pid_t pid() const { return pid_; }
  const std::vector<std::string>& lines() const { return lines_; }
  // Every line read so far, each ending in '\n' (for failure messages).
  std::string Text() const;

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string buffer_;
  std::vector<std::string> lines_;
  std::size_t next_line_ = 0;  // first line not yet offered to a predicate
  bool reaped_ = false;
  int status_ = -1;
};

class Lab {
 public:
  // `id`: the lab's short name (namespace prefix), unique per test program.
  explicit Lab(std::string id);
  ~Lab();  // takes the lab down
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  // Starts the hub and the workstation (dbus, avahi, cupsd with the freshly
  // built wps backend and cups-wps driver). Throws std::runtime_error when a
  // peer cannot start.
  void Up();
  void Down();
  // Adds a printer host running ippeveprinter; returns its host name.
  std::string AddPrinter(const std::string& name, const std::vector<std::string>& options = {});
  // cups-wps-lab ARGS... (with `stdin_text`, e.g. a PIN); throws when it fails.
  CmdResult Run(const std::vector<std::string>& args, const std::string& stdin_text = "");
  // Starts a lab command that keeps running (wps-events, or one run alongside others).
  std::unique_ptr<Child> Start(const std::vector<std::string>& args);
  // The events of `host`'s WPS daemon from now on (`wps-events`, once it is
  // ready); throws when there is no monitor.
  std::unique_ptr<Child> Events(const std::string& host);
  // Reads `events` (from Events) up to a mark that the daemon answered after
  // everything it sent before now: only then does Text() hold every event so
  // far. False when no mark came within 15 s (the daemon is gone).
  static bool ReadAllEvents(Child& events);
  // The WSC UUID of a lab host's wpa_supplicant (an enrollee, a printer in setup mode).
  std::string WpsUuid(const std::string& host) const;
  // Runs a command on a lab host (ws or a printer host).
  CmdResult Sh(const std::string& host, const std::vector<std::string>& argv, const std::string& stdin_text = "");
  // Starts a long-running command on a lab host.
  std::unique_ptr<Child> Spawn(const std::string& host, const std::vector<std::string>& argv);
  std::string dir() const { return dir_; }

 private:
  std::vector<std::string> Env() const;
  std::string id_;
  std::string dir_;
  bool up_ = false;
};

// Paths of the programs under test (set by CMake).
std::string CupsWpsPath();
std::string BackendPath();
std::string DriverPath();  // the cups-wps CUPS driver program
std::string LabScriptPath();

}  // namespace cupswps::testing
