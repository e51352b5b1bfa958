"""Lesson 04, demo 4 in Python: three tasks, and a picture of when each one ran.

demo_timeline.cpp prints the same lines. aio records the timeline inside its loop; asyncio has no
such recorder, so this program wraps each coroutine in `traced`, which drives it one step at a
time (as a Task does) and notes when each step begins and ends. `render_ascii` then draws the
picture exactly as aio::Timeline::render_ascii does.
Run it with: python3 lessons/04-event-loop/mirror_timeline.py
"""
import asyncio
import types

# ---- a small timeline recorder -------------------------------------------------------------

events = []  # (ns since the first event, task name, "created" | "begin" | "end" | "finished")
origin = []  # the loop's time at the first event


def record(name, what):
    now = asyncio.get_running_loop().time()
    origin[:] = origin or [now]
    events.append((round((now - origin[0]) * 1e9), name, what))


@types.coroutine
def steps(coro, name):
    """Runs `coro` inside the current task, recording each of its steps."""
    if not any(event[1] == name for event in events):
        record(name, "created")  # the main task: asyncio.run created it
    value = None
    while True:
        record(name, "begin")
        try:
            awaited = coro.send(value)
        except StopIteration as stop:
            record(name, "finished")
            record(name, "end")
            return stop.value
        record(name, "end")
        value = yield awaited  # the task waits here; the next step starts when it resumes


async def traced(coro, name):
    return await steps(coro, name)


def create_task(coro, name):
    record(name, "created")
    return asyncio.create_task(traced(coro, name), name=name)


def render_ascii(columns=40):
    """aio::Timeline::render_ascii in Python."""
    end = max(at for at, _, _ in events)
    step, used = 100_000_000, 1  # everything at 0: one column
    if end > 0:
        step = next(factor * 10**power for power in range(3, 20) for factor in (1, 2, 5)
                    if end // (factor * 10**power) <= columns - 1)
        used = end // step + 1
    names = list(dict.fromkeys(name for _, name, _ in events))
    width = max(len(name) for name in names)
    lines = []
    for name in names:
        cells = [" "] * used
        created, finished, begun, count = 0, used - 1, 0, 0
        for at, who, what in events:
            if who != name:
                continue
            column = at // step
            if what == "created":
                created = column
            elif what == "finished":
                finished = column
            elif what == "begin":
                begun, count = column, count + 1
            else:
                cells[begun:column + 1] = "#" * (column + 1 - begun)
        for i in range(created, finished + 1):
            if cells[i] == " ":
                cells[i] = "-"
        lines.append(f"{name:<{width}}  {''.join(cells)}  {count} step{'' if count == 1 else 's'}")
    tick = 10 * step
    decimals = max(1, 9 - next(z for z in range(9, -1, -1) if tick % 10**z == 0))
    marks = labels = " " * (width + 2)
    for column in range(0, used, 10):
        at = width + 2 + column
        marks = marks.ljust(at) + "|"
        labels = labels.ljust(max(at, len(labels) + 1) if column else at) + f"{column * step / 1e9:.{decimals}f}"
    return "\n".join(lines + [marks, labels + " s"])


# ---- the program ---------------------------------------------------------------------------

# book:timeline-program
async def worker(name, delay, times):
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(times):
        await asyncio.sleep(delay)
        print(f"{loop.time() - start:.1f} s  {name} woke up")


async def main():
    tasks = [create_task(worker("fast", 0.4, 3), "fast"),
             create_task(worker("slow", 1.0, 2), "slow"),
             create_task(worker("sleepy", 1.5, 1), "sleepy")]
    for task in tasks:
        await task
# end book:timeline-program


asyncio.run(traced(main(), "Task-1"))
print()
print(render_ascii())
