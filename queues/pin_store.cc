// SPDX-License-Identifier: Apache-2.0
// Pin files; see pin_store.h.
#include "queues/pin_store.h"

#include <fcntl.h>
#include <glib.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/handle.h"

namespace cupswps::queues {
namespace {

constexpr char kDefaultStateDir[] = "/var/lib/cups-wps";
constexpr std::size_t kMaxRead = 8192;

Error FileError(const std::string& what, const std::string& path, int err) {
  return Error{ErrorCode::kInternal, "Cannot " + what + " the printer's pin " + path + ": " + std::strerror(err) + ".",
               ""};
}

// mkdir -p for root: the state directory, then the pins directory as
// root:lpadmin 2775 (lpadmin may change queues, so it may change pins; lp,
// the backend's user, is not in it).
Status MakeDirectory(const std::string& dir) {
  const std::string parent = dir.substr(0, dir.rfind('/'));
  if (!parent.empty() && access(parent.c_str(), F_OK) != 0 && mkdir(parent.c_str(), 0755) != 0 && errno != EEXIST) {
    return FileError("make the directory of", dir, errno);
  }
  if (mkdir(dir.c_str(), 02775) != 0 && errno != EEXIST) return FileError("make the directory of", dir, errno);
  const group* g = getgrnam("lpadmin");
  const bool lpadmin = g != nullptr && geteuid() == 0 && chown(dir.c_str(), 0, g->gr_gid) == 0;
  // mkdir's mode went through the umask; say it again.
  if (chmod(dir.c_str(), lpadmin ? 02775 : 0755) != 0) return FileError("set the mode of the directory of", dir, errno);
  return {};
}

}  // namespace

PinStore PinStore::Default() {
  const char* env = std::getenv("CUPS_WPS_STATEDIR");
  return PinStore(std::string(env != nullptr && *env == '/' ? env : kDefaultStateDir) + "/pins");
}

std::string PinStore::PathFor(const std::string& printer_key) const {
  if (printer_key.rfind("uuid:", 0) == 0) return directory_ + "/uuid-" + printer_key.substr(5);
  // A name may hold anything a file name cannot; its hash cannot.
  gchar* hex = g_compute_checksum_for_string(G_CHECKSUM_SHA256, printer_key.c_str(), -1);
  std::string path = directory_ + "/name-" + hex;
  g_free(hex);
  return path;
}

Result<std::optional<Pin>> PinStore::Load(const std::string& printer_key) const {
  const std::string path = PathFor(printer_key);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<Pin>();
    return FileError("read", path, errno);
  }
  std::string text;
  char buf[1024];
  ssize_t n = 0;
  while (text.size() <= kMaxRead && (n = read(fd, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
  const int read_errno = errno;
  close(fd);
  if (n < 0) return FileError("read", path, read_errno);
  auto pin = ParsePin(text);
  if (!pin) {
    return Error{ErrorCode::kInternal, "The printer's pin " + path + " is damaged: " + pin.error().message + ".", ""};
  }
  if (pin->printer != printer_key) {
    return Error{ErrorCode::kInternal, "The pin " + path + " belongs to another printer (" + pin->printer + ").", ""};
  }
  return std::optional<Pin>(std::move(*pin));
}

Status PinStore::Save(const Pin& pin) const {
  if (access(directory_.c_str(), F_OK) != 0) {
    if (auto made = MakeDirectory(directory_); !made) return made;
  }
  const std::string path = PathFor(pin.printer);
  std::string tmp = path + ".XXXXXX";
  const int fd = mkstemp(tmp.data());
  if (fd < 0) return FileError("write", path, errno);
  const std::string text = FormatPin(pin);
  const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       fchmod(fd, 0644) == 0 && fsync(fd) == 0;
  const int err = errno;
  close(fd);
  if (!written || rename(tmp.c_str(), path.c_str()) != 0) {
    const int e = written ? errno : err;
    unlink(tmp.c_str());
    return FileError("write", path, e);
  }
  return {};
}

Status PinStore::Remove(const std::string& printer_key) const {
  const std::string path = PathFor(printer_key);
  if (unlink(path.c_str()) != 0 && errno != ENOENT) return FileError("remove", path, errno);
  return {};
}

bool PinStore::ChangeableByCaller(const std::string& printer_key) const {
  // Root may change anything; the question is whether anyone below root,
  // lp in particular, could have changed what this process reads.
  if (geteuid() == 0) return false;
  const std::string parent = directory_.substr(0, directory_.rfind('/'));
  return access(PathFor(printer_key).c_str(), W_OK) == 0 || access(directory_.c_str(), W_OK) == 0 ||
         (!parent.empty() && access(parent.c_str(), W_OK) == 0);
}

}  // namespace cupswps::queues
