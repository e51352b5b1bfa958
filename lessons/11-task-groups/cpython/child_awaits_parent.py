"""A child that awaits the task running its own group's scope: the child waits for the scope, and
the scope waits for the child. Nothing ever completes, not even after a cancel(): the scope
cancels the child, and a task that awaits a task passes its cancellation on, into the parent.
asyncio waits forever (aio's run raises DeadlockError instead); here an outer wait_for gives up
after 5 s, twice, and the program leaves without waiting for the two tasks.
(the chapter's pitfall; test_group_stress.cpp lets workers await only tasks outside any group)"""
import asyncio
import os
import sys


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(parent):
    print(at("child awaits the task that runs its scope"))
    await parent


async def runner():
    async with asyncio.TaskGroup() as group:
        group.create_task(child(asyncio.current_task()))
    print(at("scope ended"))


async def main():
    task = asyncio.create_task(runner())
    for attempt in ("waiting", "cancelled, and still waiting"):
        try:
            await asyncio.wait_for(asyncio.shield(task), 5)
        except TimeoutError:
            print(at(f"{attempt} after 5 s, done() = {task.done()}"))
        task.cancel()  # the scope cancels the child, whose cancel() goes on into the parent: no way out
    sys.stdout.flush()
    os._exit(0)  # asyncio.run would wait for the two tasks forever, as they wait for each other


asyncio.run(main())

# expect 3.11:
# 0.0 child awaits the task that runs its scope
# 5.0 waiting after 5 s, done() = False
# 10.0 cancelled, and still waiting after 5 s, done() = False
