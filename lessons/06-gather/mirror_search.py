"""Lesson 06, demo 3 in Python: demo_search.cpp mirrors it line for line.

The map phase of a search: every chunk of a text goes to a (pretend) scoring service at the same
time, one task per chunk. A done callback on each task reports it as it finishes; gather, with
return_exceptions=True, hands back all the results in chunk order, the one failure included; the
reduce step adds them up. Run it with: python3 lessons/06-gather/mirror_search.py
"""
import asyncio

QUERY = "task"
WORD_LIMIT = 16
SECONDS_PER_WORD = 0.05
CHUNKS = [
    "a coroutine does nothing until someone awaits it or wraps it in a task",
    "the loop runs one task step at a time",
    "gather wraps each coroutine in a task and hands back every result in order "
    "even when a late task fails first",
    "sleeping gives the loop back to the others",
    "a done callback runs from the loop after the task has finished",
]

started = 0.0


def now():
    """Seconds since main() started, on the loop's clock, as "0.45"."""
    return f"{asyncio.get_running_loop().time() - started:.2f}"


class ContextTooLong(Exception):
    pass


# book:scan
async def scan(chunk):
    """How often QUERY occurs in `chunk`, as a slow service would answer: 50 ms per word."""
    words = chunk.split()
    if len(words) > WORD_LIMIT:
        await asyncio.sleep(0.1)  # the service refuses at once
        raise ContextTooLong(f"{len(words)} words, the limit is {WORD_LIMIT}")
    await asyncio.sleep(SECONDS_PER_WORD * len(words))
    return words.count(QUERY)
# end book:scan


# book:report
def report(task):
    if task.exception() is not None:
        print(f"{now()} callback: {task.get_name()} failed: {task.exception()}")
    else:
        print(f"{now()} callback: {task.get_name()} found {task.result()}")
# end book:report


async def main():
    global started
    started = asyncio.get_running_loop().time()
    # book:map
    tasks = []
    for i, chunk in enumerate(CHUNKS):
        task = asyncio.create_task(scan(chunk), name=f"chunk-{i}")
        task.add_done_callback(report)
        tasks.append(task)
    print(f"{now()} map: {len(tasks)} chunk tasks started, {sum(t.done() for t in tasks)} done")
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print(f"{now()} map: gathered, in chunk order:")
    # end book:map
    # book:reduce
    hits = 0
    answered = 0
    for task, result in zip(tasks, results):
        if isinstance(result, Exception):
            print(f"  {task.get_name()}: error: {result}")
        else:
            print(f"  {task.get_name()}: {result}")
            hits += result
            answered += 1
    print(f"{now()} reduce: '{QUERY}' occurs {hits} times in the {answered} chunks that answered")
    # end book:reduce


asyncio.run(main())
