"""Lesson 13's second program in asyncio: a job queue with a fixed number of workers, each job
with an id and a result collected by id; main waits with join() until every job is done. Then
the same with priorities: the most urgent job first, ties by id. demo_jobs.cpp prints the same
lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:job-workers
async def job_worker(name, jobs, results):
    while True:
        job_id, seconds = await jobs.get()
        print(f"{elapsed()} {name}: job {job_id} started ({seconds:.1f} s)")
        await asyncio.sleep(seconds)
        results[job_id] = f"{name} squared {job_id}: {job_id * job_id}"
        jobs.task_done()


async def run_jobs(jobs, specs, workers):
    results = {}
    for spec in specs:
        jobs.put_nowait(spec)
    tasks = [asyncio.create_task(job_worker(f"w{i}", jobs, results)) for i in range(1, workers + 1)]
    await jobs.join()  # every job put has been marked done
    print(f"{elapsed()} main: all {len(results)} jobs done; stopping the workers")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return results
# end book:job-workers


# book:priority-workers
async def priority_worker(name, jobs, order):
    while True:
        priority, job_id = await jobs.get()
        print(f"{elapsed()} {name}: job {job_id} (priority {priority})")
        await asyncio.sleep(0.5)
        order.append(job_id)
        jobs.task_done()
# end book:priority-workers


async def main():
    global start
    start = asyncio.get_running_loop().time()
    print("== a job queue with 3 workers")
    specs = [(1, 1.3), (2, 0.4), (3, 0.9), (4, 0.3), (5, 0.5), (6, 1.1), (7, 0.2), (8, 0.6)]
    results = await run_jobs(asyncio.Queue(), specs, 3)
    for job_id in sorted(results):
        print(f"{elapsed()} result {job_id}: {results[job_id]}")

    print("== the same with priorities: 0 is the most urgent, ties by job id")
    start = asyncio.get_running_loop().time()
    jobs = asyncio.PriorityQueue()
    order = []
    for job_id, priority in [(1, 2), (2, 1), (3, 2), (4, 0), (5, 1), (6, 0)]:
        jobs.put_nowait((priority, job_id))
    workers = [asyncio.create_task(priority_worker(f"w{i}", jobs, order)) for i in (1, 2)]
    await jobs.join()
    for task in workers:
        task.cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    print(f"{elapsed()} main: done in the order {' '.join(map(str, order))}")


asyncio.run(main())
