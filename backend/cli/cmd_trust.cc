// SPDX-License-Identifier: Apache-2.0
// `cups-wps trust QUEUE`: pin again the identity of the printer a queue was
// made for, after it was reset or replaced (the wps backend stopped the
// queue with cups-pki-changed), and enable the queue again. It shows the
// old and the new key, the printer's name and address, and asks first.
#include <strings.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

#include "backend/cli/cli.h"
#include "backend/cli/commands.h"
#include "backend/cli/trust_plan.h"
#include "backend/gnutls_session.h"
#include "backend/scan.h"
#include "common/log.h"
#include "discovery/wps_uri.h"
#include "queues/libcups_queue_admin.h"
#include "queues/pin_store.h"

namespace cupswps::backend {
namespace {

constexpr std::chrono::milliseconds kKeyTimeout{5000};

std::string Describe(const queues::PrinterIdentity& id) {
  return id.tls ? id.key_pin : "none (plain IPP only: unverified)";
}

std::string When(std::int64_t t) {
  char buf[64];
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

bool Confirmed(const std::string& queue) {
  Out("Trust this printer for " + queue + " from now on? Do so only if it was reset or replaced. [y/N] ");
  std::string answer;
  const bool read = static_cast<bool>(std::getline(std::cin, answer));
  if (isatty(STDIN_FILENO) == 0) Out("\n");  // nobody typed the line end
  if (!read) return false;
  return strcasecmp(answer.c_str(), "y") == 0 || strcasecmp(answer.c_str(), "yes") == 0;
}

}  // namespace

int RunTrust(int argc, char** argv) {
  gboolean yes = FALSE, debug = FALSE;
  gchar* address_opt = nullptr;
  gdouble timeout = 10.0;
  const GOptionEntry entries[] = {
      {"yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Do not ask for confirmation", nullptr},
      {"address", 0, 0, G_OPTION_ARG_STRING, &address_opt,
       "Trust the printer at ADDRESS, when more than one answers for the queue", "ADDRESS"},
      {"timeout", 't', 0, G_OPTION_ARG_DOUBLE, &timeout, "Wait at most SECONDS for the printer (default 10)",
       "SECONDS"},
      {"debug", 0, 0, G_OPTION_ARG_NONE, &debug, "Log what happens to stderr", nullptr},
      {nullptr, 0, 0, G_OPTION_ARG_NONE, nullptr, nullptr, nullptr}};
  if (!ParseOptions("trust", "QUEUE - trust the printer that answers for a queue now",
                    "Pins the key of the printer that answers for QUEUE's UUID now, after that printer was\n"
                    "reset or replaced, and enables the queue again. Shows the old and the new key first.",
                    entries, &argc, &argv)) {
    return kExitUsage;
  }
  const std::string address = TakeOption(address_opt);
  if (argc != 2 || !(timeout > 0.0) || timeout > 3600.0) {
    log::Error("name one queue (see 'cups-wps trust --help')");
    return kExitUsage;
  }
  log::Configure(log::Style::kPlain, debug);
  if (!MayAdministerQueues("trust")) return kExitFailure;

  queues::LibcupsQueueAdmin admin;
  auto listed = admin.List();
  if (!listed) {
    log::Error(listed.error().message);
    return kExitFailure;
  }
  const queues::Queue* queue = nullptr;
  for (const queues::Queue& q : *listed) {
    if (strcasecmp(q.name.c_str(), argv[1]) == 0) queue = &q;
  }
  const auto want = queue != nullptr ? discovery::ParseWpsUri(queue->device_uri) : std::nullopt;
  if (!want) {
    log::Error(queue == nullptr ? "There is no queue " + std::string(argv[1]) + "."
                                : "The queue " + queue->name + " was not made by cups-wps (its device URI is not "
                                                               "wps://); it has no pinned identity.");
    return kExitFailure;
  }
  const queues::PinStore pins = queues::PinStore::Default();
  const std::string key = queues::PrinterKeyOf(*want);
  auto old = pins.Load(key);
  if (!old) {
    log::Error(old.error().message);  // a damaged pin is replaced below, once confirmed
  }

  auto found = FindNamedPrinter(*want, timeout);
  if (!found) {
    log::Error(found.error().message);
    return kExitFailure;
  }
  if (found->interrupted) return kExitInterrupted;
  if (!found->printer) {
    log::Error("No printer answers for " + queue->name + " (" + queue->device_uri +
               ") on the network; switch it on and try again.");
    return kExitFailure;
  }
  const discovery::Printer* printer = &*found->printer;
  const std::vector<Answer> answers =
      ReadAnswers(*printer, [](const discovery::Endpoint& e) { return KeyPinAt(e, kKeyTimeout); });
  const auto plan = PlanTrust(answers, address);
  std::string text = "Queue " + queue->name + " prints to " + queue->device_uri + ".\n";
  if (old && old->has_value()) {
    const queues::Pin& o = **old;
    text += "  pinned: " + Describe(o.identity) + " ('" + o.name + "' at " + o.uri + ", " + When(o.pinned_at) + ")\n";
  } else {
    text += "  pinned: nothing yet\n";
  }
  if (plan) {
    text += "  now:    " + Describe(plan->identity) + " ('" + printer->name + "' at " + plan->endpoint->Uri() + ")\n";
  }
  if (!plan || answers.size() > 1) {
    text += "Answering for it:\n";
    for (const Answer& a : answers) text += "  " + a.Line() + "\n";
  }
  Out(text);
  if (!plan) {
    log::Error(plan.error().message);
    return kExitFailure;
  }
  const bool same = old && old->has_value() && (*old)->identity == plan->identity;
  if (same) {
    Out("It shows the pinned identity: nothing to pin again.\n");
  } else if (!yes && !Confirmed(queue->name)) {
    Out("Nothing changed.\n");
    return kExitFailure;
  } else {
    const queues::Pin pin{key, plan->identity, printer->name, plan->endpoint->Uri(),
                          static_cast<std::int64_t>(std::time(nullptr))};
    if (auto saved = pins.Save(pin); !saved) {
      log::Error(saved.error().message);
      return kExitFailure;
    }
  }
  if (auto resumed = admin.Resume(queue->name); !resumed) {
    log::Error(resumed.error().message);
    return kExitFailure;
  }
  Out(same ? "Queue " + queue->name + " is enabled again.\n"
           : "Pinned " + Describe(plan->identity) + " for " + queue->name +
                 "; the queue is enabled again and its held jobs print now.\n");
  return kExitOk;
}

}  // namespace cupswps::backend
