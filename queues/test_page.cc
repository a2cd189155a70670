// SPDX-License-Identifier: Apache-2.0
// The test page and its job; see test_page.h.
#include "queues/test_page.h"

#include <cups/cups.h>

#include "queues/ipp_error.h"

namespace cupswps::queues {
namespace {

constexpr char kTestPage[] = "/usr/share/cups/data/testprint";
constexpr std::chrono::milliseconds kPollInterval{200};

// The job's state from cupsd, or 0 when it did not say.
int JobState(int job) {
  IppPtr request(ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES));
  char uri[1024];
  httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", 0, "/jobs/%d", job);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
  ippAddString(request.get(), IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", nullptr, "job-state");
  IppPtr response(cupsDoRequest(CUPS_HTTP_DEFAULT, request.release(), "/"));
  ipp_attribute_t* a = response ? ippFindAttribute(response.get(), "job-state", IPP_TAG_ENUM) : nullptr;
  return a != nullptr ? ippGetInteger(a, 0) : 0;
}

}  // namespace

Result<int> PrintTestPage(const std::string& queue) {
  const int job = cupsPrintFile(queue.c_str(), kTestPage, "cups-wps test page", 0, nullptr);
  if (job <= 0) return LastIppError(Scheduler(), "print the test page on " + queue);
  return job;
}

JobWatch::JobWatch(Clock& clock, std::string queue, int job, std::chrono::seconds limit,
                   std::function<void(Status)> done)
    : clock_(clock), queue_(std::move(queue)), job_(job), deadline_(clock.Now() + limit), limit_(limit),
      done_(std::move(done)) {
  timer_ = clock_.After(std::chrono::milliseconds(0), [this] { Poll(); });
}

void JobWatch::Poll() {
  const int state = JobState(job_);
  const std::string job = "The test page (job " + std::to_string(job_) + ")";
  if (state == IPP_JSTATE_COMPLETED) return done_({});
  if (state == IPP_JSTATE_ABORTED || state == IPP_JSTATE_CANCELED) {
    return done_(Error{ErrorCode::kCupsRefused,
                       job + " did not print: CUPS " + (state == IPP_JSTATE_ABORTED ? "aborted" : "cancelled") +
                           " it; see 'lpstat -p " + queue_ + "'.",
                       ""});
  }
  if (clock_.Now() >= deadline_) {
    return done_(Error{ErrorCode::kTimeout,
                       job + " has not printed after " + std::to_string(limit_.count()) + " s; see 'lpstat -o " +
                           queue_ + "'.",
                       ""});
  }
  timer_ = clock_.After(kPollInterval, [this] { Poll(); });
}

}  // namespace cupswps::queues
