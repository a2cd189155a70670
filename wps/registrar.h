// SPDX-License-Identifier: Apache-2.0
// The WpsRegistrar seam: this host is the access point (its registrar hands
// out the network) and the printer is the enrollee. HostapdRegistrar is the
// real one; tests use a fake.
//
// Promises beyond WpsDriver: success is kRegistered with the enrollee's MAC
// address and UUID; kEnrolleeSeen, kPinNeeded and kExchanging name the
// device as far as the daemon knows it.
#pragma once

#include "wps/driver.h"

namespace cupswps::wps {

class WpsRegistrar : public WpsDriver {};

}  // namespace cupswps::wps
