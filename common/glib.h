// SPDX-License-Identifier: Apache-2.0
// The project's one GLib toolkit: move-only guards for attached GSources,
// D-Bus signal subscriptions, GCancellables and the thread-default main
// context while an async GDBus call is started (each undoes exactly what it
// did, once, in its destructor); Guarded, the trampoline body that keeps
// exceptions out of C frames; and the one way to handle SIGINT/SIGTERM
// (GLib unix signal sources, dispatched on the loop like everything else).
#pragma once

#include <gio/gio.h>
#include <glib.h>

#include <chrono>
#include <exception>
#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/handle.h"

namespace cupswps {

using MainLoopPtr = CPtr<GMainLoop, g_main_loop_unref>;

void LogCallbackError(const char* where, const char* what) noexcept;

// Runs `f` inside a C callback (a GLib source, a GDBus completion): an
// exception is logged as an internal error and never crosses the C frame.
// Returns f()'s value, or a value-initialized one after an exception.
template <typename F>
auto Guarded(const char* where, F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    LogCallbackError(where, e.what());
  } catch (...) {
    LogCallbackError(where, nullptr);
  }
  if constexpr (!std::is_void_v<decltype(f())>) return {};
}

// An attached GSource; destroying the guard destroys the source (its
// callback never runs again) and drops our reference.
class SourceGuard {
 public:
  SourceGuard() = default;
  explicit SourceGuard(GSource* attached) : source_(attached) {}  // takes our reference
  ~SourceGuard() { reset(); }
  SourceGuard(SourceGuard&& o) noexcept : source_(std::exchange(o.source_, nullptr)) {}
  SourceGuard& operator=(SourceGuard&& o) noexcept {
    if (this != &o) {
      reset();
      source_ = std::exchange(o.source_, nullptr);
    }
    return *this;
  }
  SourceGuard(const SourceGuard&) = delete;
  SourceGuard& operator=(const SourceGuard&) = delete;

  void reset() {
    if (source_ != nullptr) {
      g_source_destroy(source_);
      g_source_unref(source_);
      source_ = nullptr;
    }
  }
  bool active() const { return source_ != nullptr && !g_source_is_destroyed(source_); }

 private:
  GSource* source_ = nullptr;
};

// Runs `fn` on `context` (nullptr: the default one) after `delay_ms`
// (0: as soon as the loop is idle). `fn` returns true to run again after
// the same delay. Exceptions from `fn` are caught and logged: none crosses
// GLib's frame.
SourceGuard Schedule(GMainContext* context, guint delay_ms, std::function<bool()> fn);

// A new, unattached source that becomes ready after `delay` (an idle source
// for zero). Millisecond timeouts hold at most 2^32 - 1 ms (49.7 days), so
// longer delays use a seconds timeout, rounded up.
GSource* NewTimeoutSource(std::chrono::milliseconds delay);
// Schedule with any delay, once: `fn` runs once after `delay`.
SourceGuard ScheduleOnce(GMainContext* context, std::chrono::milliseconds delay, std::function<void()> fn);

// Calls `fn` when `fd` has `condition` (G_IO_IN...); `fn` returns false to stop.
SourceGuard WatchFd(GMainContext* context, int fd, GIOCondition condition, std::function<bool(GIOCondition)> fn);

// Calls `fn` on the default main context each time the process gets
// `signum` (SIGINT, SIGTERM, SIGHUP), for as long as the guard lives.
SourceGuard OnUnixSignal(int signum, std::function<void()> fn);

// Posts one-shot callbacks; pending ones are dropped with the poster.
class Poster {
 public:
  explicit Poster(GMainContext* context) : context_(context) {}
  void Post(std::function<void()> fn);

 private:
  GMainContext* context_;
  std::vector<SourceGuard> pending_;
};

// A D-Bus signal subscription on a connection (which it keeps alive).
class SignalSubscription {
 public:
  SignalSubscription() = default;
  SignalSubscription(GDBusConnection* connection, guint id)
      : connection_(connection != nullptr ? G_DBUS_CONNECTION(g_object_ref(connection)) : nullptr), id_(id) {}
  ~SignalSubscription() { reset(); }
  SignalSubscription(SignalSubscription&& o) noexcept
      : connection_(std::exchange(o.connection_, nullptr)), id_(std::exchange(o.id_, 0)) {}
  SignalSubscription& operator=(SignalSubscription&& o) noexcept {
    if (this != &o) {
      reset();
      connection_ = std::exchange(o.connection_, nullptr);
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  SignalSubscription(const SignalSubscription&) = delete;
  SignalSubscription& operator=(const SignalSubscription&) = delete;

  void reset() {
    if (connection_ != nullptr) {
      if (id_ != 0) g_dbus_connection_signal_unsubscribe(connection_, id_);
      g_object_unref(connection_);
    }
    connection_ = nullptr;
    id_ = 0;
  }

 private:
  GDBusConnection* connection_ = nullptr;
  guint id_ = 0;
};

// A GCancellable that is cancelled when the guard goes: async operations
// started with it then complete with G_IO_ERROR_CANCELLED, and their
// callbacks know not to touch their (destroyed) owner.
class CancellableGuard {
 public:
  CancellableGuard() : cancellable_(g_cancellable_new()) {}
  ~CancellableGuard() {
    g_cancellable_cancel(cancellable_);
    g_object_unref(cancellable_);
  }
  CancellableGuard(const CancellableGuard&) = delete;
  CancellableGuard& operator=(const CancellableGuard&) = delete;
  GCancellable* get() const { return cancellable_; }

 private:
  GCancellable* cancellable_;
};

// Makes `context` the thread-default while in scope, so that GDBus delivers
// the async results and signals of calls made meanwhile on it.
class ThreadDefaultContext {
 public:
  explicit ThreadDefaultContext(GMainContext* context) : context_(context) {
    if (context_ != nullptr) g_main_context_push_thread_default(context_);
  }
  ~ThreadDefaultContext() {
    if (context_ != nullptr) g_main_context_pop_thread_default(context_);
  }
  ThreadDefaultContext(const ThreadDefaultContext&) = delete;
  ThreadDefaultContext& operator=(const ThreadDefaultContext&) = delete;

 private:
  GMainContext* context_;
};

}  // namespace cupswps
