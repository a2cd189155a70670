// SPDX-License-Identifier: Apache-2.0
// GLib guards and trampolines; see glib.h.
#include "common/glib.h"

#include <glib-unix.h>

#include <algorithm>
#include <string>

#include "common/log.h"

namespace cupswps {

void LogCallbackError(const char* where, const char* what) noexcept {
  try {
    log::Error(std::string("internal error in ") + where + (what != nullptr ? std::string(": ") + what : ""));
  } catch (...) {
  }
}

namespace {

gboolean OnTimer(gpointer data) {
  auto* fn = static_cast<std::function<bool()>*>(data);
  return Guarded("timer", [&] { return (*fn)(); }) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

gboolean OnFd(gint, GIOCondition condition, gpointer data) {
  auto* fn = static_cast<std::function<bool(GIOCondition)>*>(data);
  return Guarded("fd watch", [&] { return (*fn)(condition); }) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

template <typename Fn>
void Delete(gpointer data) {
  delete static_cast<Fn*>(data);
}

}  // namespace

SourceGuard Schedule(GMainContext* context, guint delay_ms, std::function<bool()> fn) {
  GSource* s = delay_ms == 0 ? g_idle_source_new() : g_timeout_source_new(delay_ms);
  g_source_set_callback(s, &OnTimer, new std::function<bool()>(std::move(fn)), &Delete<std::function<bool()>>);
  g_source_attach(s, context);
  return SourceGuard(s);
}

GSource* NewTimeoutSource(std::chrono::milliseconds delay) {
  const auto ms = delay.count();
  if (ms <= 0) return g_idle_source_new();
  if (ms <= G_MAXUINT) return g_timeout_source_new(static_cast<guint>(ms));
  const auto seconds = std::min<decltype(ms)>((ms + 999) / 1000, G_MAXUINT);
  return g_timeout_source_new_seconds(static_cast<guint>(seconds));
}

SourceGuard ScheduleOnce(GMainContext* context, std::chrono::milliseconds delay, std::function<void()> fn) {
  GSource* s = NewTimeoutSource(delay);
  auto* once = new std::function<bool()>([fn = std::move(fn)] {
    fn();
    return false;
  });
  g_source_set_callback(s, &OnTimer, once, &Delete<std::function<bool()>>);
  g_source_attach(s, context);
  return SourceGuard(s);
}

SourceGuard WatchFd(GMainContext* context, int fd, GIOCondition condition, std::function<bool(GIOCondition)> fn) {
  GSource* s = g_unix_fd_source_new(fd, condition);
  g_source_set_callback(s, G_SOURCE_FUNC(&OnFd), new std::function<bool(GIOCondition)>(std::move(fn)),
                        &Delete<std::function<bool(GIOCondition)>>);
  g_source_attach(s, context);
  return SourceGuard(s);
}

SourceGuard OnUnixSignal(int signum, std::function<void()> fn) {
  GSource* s = g_unix_signal_source_new(signum);
  g_source_set_callback(
      s,
      +[](gpointer data) -> gboolean {
        Guarded("signal", [data] { (*static_cast<std::function<void()>*>(data))(); });
        return G_SOURCE_CONTINUE;
      },
      new std::function<void()>(std::move(fn)), &Delete<std::function<void()>>);
  g_source_attach(s, nullptr);
  return SourceGuard(s);
}

void Poster::Post(std::function<void()> fn) {
  std::erase_if(pending_, [](const SourceGuard& g) { return !g.active(); });
  pending_.push_back(Schedule(context_, 0, [fn = std::move(fn)] {
    fn();
    return false;
  }));
}

}  // namespace cupswps
