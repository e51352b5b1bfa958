// Lesson 13's second program: a job queue with a fixed number of workers, each job with an id and
// a result collected by id; main waits with join() until every job is done. Then the same with
// priorities: the most urgent job first, ties by id. mirror_jobs.py is the same program in
// asyncio; both print the same lines.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/gather.hpp>
#include <aio/priority_queue.hpp>
#include <aio/queue.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

aio::Duration start{};

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time() - start); }

struct JobSpec {
  int id;
  aio::Duration seconds;
};

// book:job-workers
aio::Coro<void> job_worker(std::string name, aio::Queue<JobSpec>* jobs, std::map<int, std::string>* results) {
  while (true) {
    JobSpec job = co_await jobs->get();
    std::printf("%s %s: job %d started (%s s)\n", elapsed().c_str(), name.c_str(), job.id,
                aio::format_seconds(job.seconds).c_str());
    co_await aio::sleep(job.seconds);
    (*results)[job.id] = name + " squared " + std::to_string(job.id) + ": " + std::to_string(job.id * job.id);
    jobs->task_done();
  }
}

aio::Coro<std::map<int, std::string>> run_jobs(aio::Queue<JobSpec>* jobs, std::vector<JobSpec> specs, int workers) {
  std::map<int, std::string> results;
  for (const JobSpec& spec : specs) jobs->put_nowait(spec);
  std::vector<aio::Task<void>> tasks;
  for (int i = 1; i <= workers; ++i) tasks.push_back(aio::create_task(job_worker("w" + std::to_string(i), jobs, &results)));
  co_await jobs->join();  // every job put has been marked done
  std::printf("%s main: all %zu jobs done; stopping the workers\n", elapsed().c_str(), results.size());
  for (aio::Task<void>& task : tasks) task.cancel();
  auto outcomes = co_await aio::gather(aio::return_exceptions, tasks);
  co_return results;
}
// end book:job-workers

// book:priority-workers
/// (priority, job id): std::pair compares the priority first, then the id, as Python's tuples.
using PriorityJob = std::pair<int, int>;

aio::Coro<void> priority_worker(std::string name, aio::PriorityQueue<PriorityJob>* jobs, std::vector<int>* order) {
  while (true) {
    auto [priority, job_id] = co_await jobs->get();
    std::printf("%s %s: job %d (priority %d)\n", elapsed().c_str(), name.c_str(), job_id, priority);
    co_await aio::sleep(500ms);
    order->push_back(job_id);
    jobs->task_done();
  }
}
// end book:priority-workers

aio::Coro<void> main_coro() {
  start = aio::get_running_loop().time();
  std::printf("== a job queue with 3 workers\n");
  std::vector<JobSpec> specs = {{1, 1300ms}, {2, 400ms}, {3, 900ms}, {4, 300ms},
                                {5, 500ms},  {6, 1100ms}, {7, 200ms}, {8, 600ms}};
  aio::Queue<JobSpec> jobs;
  std::map<int, std::string> results = co_await run_jobs(&jobs, specs, 3);
  for (const auto& [job_id, result] : results) {
    std::printf("%s result %d: %s\n", elapsed().c_str(), job_id, result.c_str());
  }

  std::printf("== the same with priorities: 0 is the most urgent, ties by job id\n");
  start = aio::get_running_loop().time();
  aio::PriorityQueue<PriorityJob> urgent;
  std::vector<int> order;
  for (auto [job_id, priority] : std::vector<std::pair<int, int>>{{1, 2}, {2, 1}, {3, 2}, {4, 0}, {5, 1}, {6, 0}}) {
    urgent.put_nowait({priority, job_id});
  }
  std::vector<aio::Task<void>> workers;
  for (int i : {1, 2}) workers.push_back(aio::create_task(priority_worker("w" + std::to_string(i), &urgent, &order)));
  co_await urgent.join();
  for (aio::Task<void>& task : workers) task.cancel();
  auto outcomes = co_await aio::gather(aio::return_exceptions, workers);
  std::string list;
  for (int job_id : order) list += (list.empty() ? "" : " ") + std::to_string(job_id);
  std::printf("%s main: done in the order %s\n", elapsed().c_str(), list.c_str());
}

}  // namespace

int main() {
  aio::run(main_coro());
  return 0;
}
