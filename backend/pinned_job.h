// SPDX-License-Identifier: Apache-2.0
// A job for a printer pinned with IPPS: CUPS's own ipp backend prints it,
// through a PinnedRelay (pinned_relay.h) on a loopback port, so that every
// TLS session its bytes travel over presented the pinned key. And what the
// backend says when the printer answering for a queue is not the one the
// queue was made for.
#pragma once

#include <string>
#include <vector>

#include "discovery/printer.h"

namespace cupswps::backend {

// Runs `ipp_backend` (CUPS's ipp backend) with `argv` (the wps backend's
// own, argv[0] replaced) and DEVICE_URI pointing at the relay, until it
// exits; SIGTERM (a cancelled job) is passed on to it. Returns its exit
// status, or ReportIdentityMismatch's when a session presented another key
// (the ipp backend is then stopped; nothing was relayed over that session).
int RunPinnedJob(const discovery::Endpoint& printer, const std::string& key_pin, const std::string& ipp_backend,
                 char** argv, const std::string& queue);

// STATE: +cups-pki-changed, the one sentence for lpstat -p and the dialogs
// ("... run 'cups-wps trust QUEUE'"), `detail` as DEBUG lines. Returns
// CUPS_BACKEND_STOP: cupsd stops the queue and keeps the job.
int ReportIdentityMismatch(const std::string& queue, const std::vector<std::string>& detail);

}  // namespace cupswps::backend
