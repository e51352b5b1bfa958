// aio::SignalSet: Unix signals as something a task awaits (asyncio's loop.add_signal_handler).
//
//   aio::SignalSet stop{SIGINT, SIGTERM};   // in main, before any thread starts
//   ...
//   int signal = co_await stop.wait();      // in a task: Ctrl-C or `kill` arrived
//   co_await server.shutdown(2s);           // now a graceful shutdown may await as it likes
//
// A signal handler interrupts the thread wherever it is, in the middle of the loop's own data
// structures, so it may do almost nothing: no lock, no allocation, no call into the loop. Linux
// offers a better door: block the signals, and let a signalfd receive them as data. The
// signalfd is one more file descriptor for lesson 17's poller; reading it says which signal
// came. Nothing runs "inside" a signal any more: the task that awaits wait() is woken through
// the ready queue like every other task.
//
// The rule that comes with it: a blocked signal is only held back in the threads that block
// it, and threads inherit the mask of the thread that starts them. So make the SignalSet before
// any other thread starts (a thread pool included), or a signal may be delivered to a thread
// that does not block it, and its default action ends the process.
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/socket.hpp>

#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <initializer_list>
#include <system_error>

namespace aio {

class SignalSet {
public:
  /// Blocks `signals` in this thread (and in the threads it starts from now on) and opens a
  /// signalfd that receives them.
  SignalSet(std::initializer_list<int> signals) {
    sigemptyset(&mask_);
    for (int signal : signals) sigaddset(&mask_, signal);
    if (pthread_sigmask(SIG_BLOCK, &mask_, &previous_) != 0) {
      throw std::system_error(errno, std::generic_category(), "aio::SignalSet: pthread_sigmask");
    }
    fd_ = ::signalfd(-1, &mask_, SFD_NONBLOCK | SFD_CLOEXEC);
    if (fd_ < 0) {
      const int error = errno;
      pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
      throw std::system_error(error, std::generic_category(), "aio::SignalSet: signalfd");
    }
  }
  SignalSet(const SignalSet&) = delete;
  SignalSet& operator=(const SignalSet&) = delete;
  /// Closes the signalfd and unblocks the signals again: from then on they act as before.
  ~SignalSet() {
    ::close(fd_);
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }

  /// The next of the signals, as its number (SIGINT, SIGTERM, ...). The awaiting task sleeps in
  /// the poller meanwhile; a cancellation withdraws its wait, as for a socket.
  Coro<int> wait() {
    while (true) {
      signalfd_siginfo info{};
      const ssize_t got = ::read(fd_, &info, sizeof info);
      if (got == static_cast<ssize_t>(sizeof info)) co_return static_cast<int>(info.ssi_signo);
      if (got < 0 && errno != EAGAIN && errno != EINTR) {
        throw std::system_error(errno, std::generic_category(), "aio::SignalSet: read");
      }
      co_await wait_readable(fd_);  // nothing there yet: let the poller say when
    }
  }

  int fd() const noexcept { return fd_; }

private:
  sigset_t mask_{};
  sigset_t previous_{};
  int fd_ = -1;
};

}  // namespace aio
