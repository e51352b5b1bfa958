// Lesson 12, demo 2: a small asynchronous cache, least-recently-used with a time-to-live, whose
// values take a second to compute (a slow database, say). Without a lock, three callers that
// miss the same key at once compute it three times; with an aio::Lock held across the lookup
// and the computation, the first caller computes it and the two others wait, then find it
// cached. mirror_cache.py is the same program in Python; both print the same lines.
#include <aio/gather.hpp>
#include <aio/lock.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <exception>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:cache
/// At most `capacity` values, each kept for `ttl`; the least recently used goes first.
class Cache {
public:
  Cache(std::size_t capacity, aio::Duration ttl, bool locked) : capacity_(capacity), ttl_(ttl), locked_(locked) {}

  /// The value for `key`, computed once if it is missing or expired.
  aio::Coro<std::string> get(std::string key, std::string caller) {
    std::optional<aio::Guard<aio::Lock>> held;
    if (locked_) {
      aio::Guard<aio::Lock> guard = co_await lock_.acquire();  // one lookup-and-compute at a time
      held.emplace(std::move(guard));
    }
    if (std::optional<std::string> value = lookup(key)) {
      std::printf("%s %s: %s is cached\n", now().c_str(), caller.c_str(), key.c_str());
      co_return *value;
    }
    std::printf("%s %s: %s is missing, computing it\n", now().c_str(), caller.c_str(), key.c_str());
    std::string value = co_await compute(key);
    store(key, value);
    co_return value;
  }

  int computations() const { return computations_; }
  // end book:cache

private:
  struct Entry {
    std::string key;
    std::string value;
    aio::Duration expires;
  };

  aio::Coro<std::string> compute(std::string key) {
    ++computations_;
    co_await aio::sleep(1s);  // the slow part
    co_return "profile of " + key;
  }

  /// The value if it is there and fresh; a hit moves it to the front (most recently used).
  std::optional<std::string> lookup(const std::string& key) {
    auto found = index_.find(key);
    if (found == index_.end()) return std::nullopt;
    if (found->second->expires <= aio::get_running_loop().time()) {
      std::printf("%s   (%s expired)\n", now().c_str(), key.c_str());
      entries_.erase(found->second);
      index_.erase(found);
      return std::nullopt;
    }
    entries_.splice(entries_.begin(), entries_, found->second);
    return found->second->value;
  }

  void store(const std::string& key, std::string value) {
    if (auto found = index_.find(key); found != index_.end()) {  // computed twice, without a lock
      entries_.erase(found->second);
      index_.erase(found);
    }
    entries_.push_front({key, std::move(value), aio::get_running_loop().time() + ttl_});
    index_[key] = entries_.begin();
    if (entries_.size() > capacity_) {
      std::printf("%s   (%s evicted: least recently used)\n", now().c_str(), entries_.back().key.c_str());
      index_.erase(entries_.back().key);
      entries_.pop_back();
    }
  }

  std::size_t capacity_;
  aio::Duration ttl_;
  bool locked_;
  aio::Lock lock_;
  std::list<Entry> entries_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  int computations_ = 0;
};

aio::Coro<void> caller(Cache* cache, std::string key, std::string name) {
  std::string value = co_await cache->get(key, name);
  std::printf("%s %s: got %s\n", now().c_str(), name.c_str(), value.c_str());
}

aio::Coro<void> three_callers(Cache* cache) {
  const aio::Duration origin = aio::get_running_loop().time();
  std::vector<aio::Coro<void>> callers;
  for (const char* name : {"caller 1", "caller 2", "caller 3"}) callers.push_back(caller(cache, "alice", name));
  co_await aio::gather(std::move(callers));
  std::printf("  computations: %d, took %s s\n", cache->computations(),
              aio::format_seconds(aio::get_running_loop().time() - origin).c_str());
}

aio::Coro<void> main_coro() {
  std::printf("== without a lock: three callers miss alice at once\n");
  Cache unlocked(2, 5s, false);
  co_await three_callers(&unlocked);

  std::printf("== with a Lock: three callers miss alice at once\n");
  Cache cache(2, 5s, true);
  co_await three_callers(&cache);

  std::printf("== least recently used, and time-to-live (capacity 2, ttl 5 s)\n");
  for (const char* key : {"bob", "alice", "carol", "bob"}) co_await caller(&cache, key, "main");
  co_await aio::sleep(4s);
  co_await caller(&cache, "bob", "main");
  co_await caller(&cache, "carol", "main");
  std::printf("  computations: %d\n", cache.computations());
}

}  // namespace

int main() {
  try {
    aio::run(main_coro());
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
