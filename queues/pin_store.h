// SPDX-License-Identifier: Apache-2.0
// Where pins live: one file per printer (identity.h gives the format) in a
// directory that the wps backend, running as lp, can read and only root and
// the lpadmin group can change:
//
//   /var/lib/cups-wps/pins/            root:lpadmin 2775 (made by the first root `add`)
//   /var/lib/cups-wps/pins/uuid-<uuid> 0644, written whole (a new file renamed into place)
//   /var/lib/cups-wps/pins/name-<sha256 of the name, hex>   for printers without a UUID
//
// CUPS_WPS_STATEDIR replaces /var/lib/cups-wps (as CUPS_STATEDIR does for
// cupsd's): the lab's private cupsd passes its own to the backend.
// A pin belongs to the printer (its wps:// URI), not to a queue name: it is
// written before the queue is created, so that a queue never exists without
// it, and two queues made for one printer share it.
// Blocking file I/O; safe from any thread (no shared state).
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "queues/identity.h"

namespace cupswps::queues {

class PinStore {
 public:
  explicit PinStore(std::string directory) : directory_(std::move(directory)) {}
  // $CUPS_WPS_STATEDIR/pins, else /var/lib/cups-wps/pins.
  static PinStore Default();

  const std::string& directory() const { return directory_; }
  // The file of the printer with this key ("uuid:…", "name:…").
  std::string PathFor(const std::string& printer_key) const;

  // The printer's pin, or nullopt when it has none. An Error when the file
  // cannot be read or is malformed.
  Result<std::optional<Pin>> Load(const std::string& printer_key) const;
  // Replaces the printer's pin (pin.printer) whole; makes the directory
  // when it is missing (root only). Errors say which path and why.
  Status Save(const Pin& pin) const;
  // Removes the printer's pin; none is no error.
  Status Remove(const std::string& printer_key) const;
  // True when this process, not being root, could change the printer's pin
  // (its file, the directory or the one above are writable for it). The
  // backend, running as lp, trusts a pin only when this is false.
  bool ChangeableByCaller(const std::string& printer_key) const;

 private:
  std::string directory_;
};

}  // namespace cupswps::queues
