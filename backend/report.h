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

// IEEE 1284 device ID from the advert: MFG and MDL ("Unknown" when the advert
// has none), CMD (from pdl) and SN (the UUID), when known. Values are
// stripped of the ID's separators (':', ';') so no field can be forged.
std::string DeviceId(const discovery::Printer& printer);

}  // namespace cupswps::backend
