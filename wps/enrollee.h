// SPDX-License-Identifier: Apache-2.0
// The WpsEnrollee seam: this host joins the printer's own network (its
// access point or Wi-Fi Direct group), so the printer's side is the
// registrar. SupplicantEnrollee is the real one; tests use a fake.
//
// Promises beyond WpsDriver: kCredentials with the network received (the
// daemon keeps and uses the key), then kSuccess; kM2d while the printer's
// side has no password for us yet.
#pragma once

#include "wps/driver.h"

namespace cupswps::wps {

class WpsEnrollee : public WpsDriver {};

}  // namespace cupswps::wps
