// SPDX-License-Identifier: Apache-2.0
// The kernel's neighbour table; see kernel_neighbour_table.h.
#include "queues/kernel_neighbour_table.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/glib.h"
#include "common/ids.h"

namespace cupswps::queues {
namespace {

// One contact in flight: the socket, its fd watch and its time limit. Ends
// (closing the socket) at the first of: connected, refused, timed out, or
// the caller dropping its handle.
struct Contact {
  int fd = -1;
  std::string ipv4;
  SourceGuard watch;
  SourceGuard limit;
  std::function<void(std::string)> done;  // empty once called
  ~Contact() {
    if (fd >= 0) close(fd);
  }
};

// Ends the contact (once) and reports what the kernel learnt.
void Finish(KernelNeighbourTable& table, const std::weak_ptr<Contact>& weak) {
  const auto c = weak.lock();
  if (!c || !c->done) return;
  auto done = std::exchange(c->done, nullptr);
  c->watch.reset();
  c->limit.reset();
  if (c->fd >= 0) close(std::exchange(c->fd, -1));
  done(table.Known(c->ipv4));
}

}  // namespace

std::string KernelNeighbourTable::Known(const std::string& ipv4) {
  std::ifstream arp("/proc/net/arp");
  std::string line;
  std::getline(arp, line);  // header
  while (std::getline(arp, line)) {
    std::istringstream in(line);
    std::string ip, hw_type, flags, mac;
    in >> ip >> hw_type >> flags >> mac;
    if (ip == ipv4 && flags != "0x0") return NormalizeMac(mac);
  }
  return {};
}

Timer KernelNeighbourTable::Lookup(const std::string& ipv4, std::uint16_t port,
                                   std::function<void(std::string mac)> done) {
  auto contact = std::make_shared<Contact>();
  contact->ipv4 = ipv4;
  contact->done = std::move(done);
  std::weak_ptr<Contact> weak = contact;
  sockaddr_in sa = {};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(port);
  if (inet_pton(AF_INET, ipv4.c_str(), &sa.sin_addr) == 1) {
    contact->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  }
  const bool pending = contact->fd >= 0 &&
                       connect(contact->fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 && errno == EINPROGRESS;
  if (pending) {
    contact->watch = WatchFd(context_, contact->fd, static_cast<GIOCondition>(G_IO_OUT | G_IO_ERR | G_IO_HUP),
                             [this, weak](GIOCondition) {
                               Finish(*this, weak);
                               return false;
                             });
    contact->limit = ScheduleOnce(context_, connect_timeout_, [this, weak] { Finish(*this, weak); });
  } else {
    // Connected (or failed) at once: still answer from the loop.
    contact->limit = ScheduleOnce(context_, std::chrono::milliseconds(0), [this, weak] { Finish(*this, weak); });
  }
  return Timer([contact]() mutable { contact.reset(); });
}

}  // namespace cupswps::queues
