// SPDX-License-Identifier: Apache-2.0
// avahi-daemon's reply to ResolveService (over D-Bus) as an Advert: the
// address checked, link-local IPv6 given its interface, the TXT strings
// parsed and cleaned. Everything in the reply is untrusted.
#pragma once

#include <glib.h>

#include <optional>

#include "discovery/advert.h"

namespace cupswps::discovery {

// `reply` has the signature (iissssisqaayu); nullopt when it names no usable
// address.
std::optional<Advert> ParseResolveReply(AdvertId id, GVariant* reply);

}  // namespace cupswps::discovery
