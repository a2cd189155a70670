// SPDX-License-Identifier: Apache-2.0
// Registering one discovered printer as a driverless CUPS queue: the steps
// shared by `add`, `watch` and `setup`. Blocking; see queue_admin.h for which
// threads may call it.
//
//   1. a queue that already serves the printer is the answer (idempotent);
//      if its PPD was made from another printer (the twin a dialog chose),
//      it gets one made from this printer, by steps 3 to 5
//   2. only ipp/ipps endpoints are accepted
//   3. the printer's IPP attributes are fetched and validated (filters/)
//   4. the driverless (IPP Everywhere) PPD is built from exactly those
//      validated attributes, with libcups' own generator (_ppdCreateFromIPP,
//      the one cupsd uses for ppd-name=everywhere)
//   5. the printer's identity, read in that same connection (its key, over
//      IPPS), is pinned (pin_store.h): before the queue exists, so that no
//      job can go out unchecked
//   6. the queue is created with that PPD and the printer's wps:// URI,
//      enabled and accepting jobs, in one request
// Why not ppd-name=everywhere: cupsd (2.4.2) would fetch the attributes
// again itself (a printer could then show it other ones than it showed the
// validator), build the PPD in a thread of its own while the queue already
// takes jobs raw, and it died under load here (78 and 20 of 200 queues made
// in a row and at once). A queue made this way is complete from its first
// moment; there is nothing half-made to undo.
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "queues/queue_admin.h"
#include "common/result.h"
#include "discovery/printer.h"
#include "filters/policy.h"
#include "queues/identity.h"
#include "queues/pin_store.h"

namespace cupswps::queues {

// A CUPS queue name from a printer name: ASCII letters, digits, '-', '_' and
// '.', other runs become one '_', at most 127 bytes, never empty.
std::string QueueNameFor(std::string_view printer_name);
// `base`, or base_2, base_3, ... : the first not in `taken`.
std::string UniqueQueueName(const std::string& base, const std::set<std::string>& taken);

struct RegisterOptions {
  std::string queue_name;  // "" = derived from the printer's name
  std::string location;    // "" = from the advert (TXT note)
  std::function<void(const std::string&)> progress;  // one line per step
  // Steps 3 and 4: returns the path of a PPD built from validated attributes
  // (the caller removes it) and fills in the printer's identity. Tests
  // replace it; the default is MakeDriverlessPpd (driverless_ppd.h).
  std::function<Result<std::string>(const discovery::Printer&, const discovery::Endpoint&, PrinterIdentity*)>
      make_ppd;
  // Step 5: where the identity is pinned. Unset: not pinned.
  std::optional<PinStore> pins;
  // A pin of another identity for this printer (its queue was removed)
  // is replaced (add, setup: a person asked for this printer), or the
  // printer is refused (watch: nobody is asked).
  bool replace_pin = true;
};

struct Registered {
  std::string queue;
  bool created = false;  // false: the printer had this queue already
  double seconds = 0;    // reading the printer to the queue being ready
  PrinterIdentity identity;  // when created or its PPD replaced: what was pinned
  // Set when the queue was there with a PPD made from another printer and
  // got this printer's: the UUID of the printer it had been made from.
  std::string ppd_was_from;
};

// `add` and `setup`: an Error (kRefused, one sentence naming `policy_file`)
// unless the policy admits `printer` for an explicit registration.
Status CheckAddPolicy(const filters::Policy& policy, const std::string& policy_file,
                            const discovery::Printer& printer);

Result<Registered> RegisterPrinter(QueueAdmin& admin, const discovery::Printer& printer,
                                   const RegisterOptions& options);

}  // namespace cupswps::queues
