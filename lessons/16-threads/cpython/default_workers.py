"""The default ThreadPoolExecutor (the one to_thread uses) has min(32, cpu_count + 4) workers.
3.13 counts the CPUs this process may use (os.process_cpu_count()), not all of them: here the
process is restricted to one CPU first. aio counts them as 3.11 does
(std::thread::hardware_concurrency()). (test_thread_pool.cpp: "the default size is Python's
min(32, cores + 4)")"""
import concurrent.futures
import os

os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
workers = concurrent.futures.ThreadPoolExecutor()._max_workers
print(f"min(32, os.cpu_count() + 4): {workers == min(32, os.cpu_count() + 4)}")
print(f"min(32, CPUs this process may use + 4): {workers == min(32, len(os.sched_getaffinity(0)) + 4)}")

# expect 3.11:
# min(32, os.cpu_count() + 4): True
# min(32, CPUs this process may use + 4): False
# expect 3.13:
# min(32, os.cpu_count() + 4): False
# min(32, CPUs this process may use + 4): True
