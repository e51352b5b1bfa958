"""A task's life, in Python: demo_life.cpp mirrors it line for line.

Creation, names, state, done callbacks, awaiting, a task nobody keeps, and an exception nobody
reads. Every line starts with the time since main started, on the loop's clock. Run it with:
python3 lessons/05-tasks/mirror_life.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main started, on the loop's clock, as "1.0"."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


# book:brew
async def brew(drink, seconds):
    print(f"[{now()}]   {drink}: brewing")
    await asyncio.sleep(seconds)
    print(f"[{now()}]   {drink}: ready")
    return f"a cup of {drink}"
# end book:brew


async def wash_up():
    await asyncio.sleep(0.5)
    print(f"[{now()}]   wash_up: done, though nobody kept its task")


async def make_toast():
    await asyncio.sleep(0.3)
    raise RuntimeError("the toast is on fire")


def report_problem(loop, context):
    # aio's exception handler receives one line; this prints the same line from asyncio's parts.
    task = context["future"]
    print(f"[{now()}] exception handler: {context['message']}: "
          f"<Task '{task.get_name()}'> raised: {context['exception']}")


async def main():
    global started
    loop = asyncio.get_running_loop()
    started = loop.time()
    loop.set_exception_handler(report_problem)
    print(f"[{now()}] main runs as {asyncio.current_task().get_name()}")

    # book:create
    tea = asyncio.create_task(brew("tea", 1))
    coffee = asyncio.create_task(brew("coffee", 2), name="coffee")
    print(f"[{now()}] created {tea.get_name()} and {coffee.get_name()}; neither has run yet")
    print(f"[{now()}] tea.done() is {tea.done()}")
    try:
        tea.result()
    except asyncio.InvalidStateError:
        print(f"[{now()}] tea.result() now raises InvalidStateError")
    names = sorted(task.get_name() for task in asyncio.all_tasks())
    print(f"[{now()}] all_tasks(): {', '.join(names)}")
    # end book:create

    # book:callbacks
    tea.add_done_callback(lambda task: print(f"[{now()}] callback 1: {task.get_name()} gave {task.result()}"))
    tea.add_done_callback(lambda task: print(f"[{now()}] callback 2: callbacks run in the order they were added"))
    print(f"[{now()}] main awaits tea")
    cup = await tea
    print(f"[{now()}] main got {cup}")
    again = await tea
    print(f"[{now()}] awaited again, at once: {again}")
    tea.add_done_callback(lambda task: print(f"[{now()}] callback 3: added after tea finished"))
    print(f"[{now()}] callback 3 is scheduled, not run: main goes on until it yields")
    await asyncio.sleep(0)
    # end book:callbacks

    # book:forgotten
    asyncio.create_task(wash_up())  # no reference kept
    toast = asyncio.create_task(make_toast(), name="toast")
    cup = await coffee
    print(f"[{now()}] main got {cup}")
    print(f"[{now()}] toast.done() is {toast.done()}, and main never asks how it went")
    print(f"[{now()}] main returns")
    # end book:forgotten


asyncio.run(main())
