// SPDX-License-Identifier: Apache-2.0
// QueueAdmin through libcups, talking to the scheduler that libcups'
// defaults name (CUPS_SERVER, client.conf). Thread-safe in the way libcups
// is: each thread gets its own default connection.
#pragma once

#include "queues/queue_admin.h"

namespace cupswps::queues {

class LibcupsQueueAdmin final : public QueueAdmin {
 public:
  Result<std::vector<Queue>> List() override;
  Status Create(const QueueSpec& spec) override;
  Status Delete(const std::string& name) override;
  Status Resume(const std::string& name) override;
  Result<std::string> Ppd(const std::string& name) override;
  Status ReplacePpd(const std::string& name, const std::string& ppd_path) override;
};

}  // namespace cupswps::queues
