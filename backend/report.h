// SPDX-License-Identifier: Apache-2.0
// What the wps backend reports for one printer in device-listing mode, and
// the IEEE 1284 device ID built from its advert. Pure; no I/O.
#pragma once

#include <string>

#include "discovery/printer.h"

namespace cupswps::backend {

struct DeviceReport {
  std::string device_class = "network";
  std::string uri;             // wps://...
  std::string make_and_model;  // "Acme TestJet 8000" or "Unknown"
  std::string info;            // the printer's name, "Test Printer 1"
  std::string device_id;       // "MFG:Acme;MDL:TestJet 8000;CMD:PDF,URF;"
  std::string location;        // from TXT note
};

DeviceReport MakeDeviceReport(const discovery::Printer& printer);

// What tells a printer apart from others of its model: its name and the
// first 8 characters of its UUID ("Twin Two / 1a2b3c4d"), each when known;
// "" with neither. Free of the device ID's separators (':', ';') and of the
// characters system-config-printer's model-name parsing splits on
// (brackets, parentheses, commas), at most 64 bytes of name.
std::string PrinterLabel(const discovery::Printer& printer);

// IEEE 1284 device ID from the advert: MFG and MDL ("Unknown" when the advert
// has none), CMD (from pdl) and SN (the UUID), when known. Values are
// stripped of the ID's separators (':', ';') so no field can be forged.
// MDL ends with " [<PrinterLabel>]": system-config-printer (GNOME's
// GetBestDrivers) matches drivers on MFG and MDL, and the cups-wps driver
// lists this ID for the printer's own PPD only, so two printers of one model
// each get their own PPD, and the dialogs title their rows apart.
std::string DeviceId(const discovery::Printer& printer);

}  // namespace cupswps::backend
