"""A child that fails stops the group: one loop iteration later the group cancels every child
still running and the task running the body (once, however many fail), waits for their cleanup,
and refuses new tasks. An exception from the body, or a cancellation of the task from outside,
stops the children too. Two children cancelled in the same iteration print the same line here,
or only one of them prints: asyncio cancels them in the order of a set, aio oldest first.
(test_task_group.cpp, l11.ex3: the programs with the same names)"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def job(name, delay, says=None, quiet=False):
    print(at(f"{name} starts"))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        if not quiet:
            print(at(f"{says or name} cancelled"))
        raise
    print(at(f"{name} done"))


async def failing(name, delay):
    print(at(f"{name} starts"))
    await asyncio.sleep(delay)
    print(at(f"{name} fails"))
    raise RuntimeError(f"{name} broke")


async def slow_cleanup(name, delay, cleanup):
    print(at(f"{name} starts"))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at(f"{name} cleans up"))
        await asyncio.sleep(cleanup)
        print(at(f"{name} cleaned up"))
        raise


async def body_sleeps(delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at("body cancelled"))
        raise


async def run_scope(scope):
    try:
        await scope
        print(at("scope ended normally"))
    except BaseException as error:
        print(at(f"scope ended: {type(error).__name__}"))


async def failure_cancels_all():
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 10, says="a sibling"))
            group.create_task(failing("b", 1))
            group.create_task(job("c", 10, says="a sibling"))
            await body_sleeps(10)
    await run_scope(scope())


async def waits_for_cleanup():
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(slow_cleanup("a", 10, 0.5))
            group.create_task(failing("b", 1))
    await run_scope(scope())


async def refuses_while_shutting_down():
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(failing("b", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print(at(f"body cancelled, cancelling() = {asyncio.current_task().cancelling()}"))
                late = job("late", 1)
                try:
                    group.create_task(late)
                except RuntimeError as error:
                    late.close()  # never run (3.12 and later close it themselves)
                    print(at(f"create_task: {error}"))
                raise
    await run_scope(scope())
    await asyncio.sleep(2)  # a late task would run now


async def body_throws():
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 10, quiet=True))
            group.create_task(slow_cleanup("c", 10, 0.5))
            await asyncio.sleep(1)
            print(at("body throws"))
            raise ValueError("body broke")
    await run_scope(scope())


async def two_fail_together():
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(failing("b", 1))
            group.create_task(failing("c", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print(at(f"body cancelled, cancelling() = {asyncio.current_task().cancelling()}"))
                raise
    await run_scope(scope())


async def cancels_the_runner(body_waits):
    async def scope():
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 10, quiet=True))
            group.create_task(slow_cleanup("b", 10, 0.5))
            if body_waits:
                await body_sleeps(10)
    runner = asyncio.create_task(run_scope(scope()))
    await asyncio.sleep(2)
    print(at("cancel the runner"))
    runner.cancel("stop")
    try:
        await runner
    except asyncio.CancelledError:
        pass


programs = [failure_cancels_all, waits_for_cleanup, refuses_while_shutting_down, body_throws, two_fail_together]
for program in programs:
    print(f"== {program.__name__}")
    asyncio.run(program())
print("== cancels_the_runner, in the body")
asyncio.run(cancels_the_runner(True))
print("== cancels_the_runner, while the scope waits")
asyncio.run(cancels_the_runner(False))

# expect 3.11:
# == failure_cancels_all
# 0.0 a starts
# 0.0 b starts
# 0.0 c starts
# 1.0 b fails
# 1.0 a sibling cancelled
# 1.0 a sibling cancelled
# 1.0 body cancelled
# 1.0 scope ended: ExceptionGroup
# == waits_for_cleanup
# 0.0 a starts
# 0.0 b starts
# 1.0 b fails
# 1.0 a cleans up
# 1.5 a cleaned up
# 1.5 scope ended: ExceptionGroup
# == refuses_while_shutting_down
# 0.0 b starts
# 1.0 b fails
# 1.0 body cancelled, cancelling() = 1
# 1.0 create_task: TaskGroup <TaskGroup errors=1 cancelling> is shutting down
# 1.0 scope ended: ExceptionGroup
# == body_throws
# 0.0 a starts
# 0.0 c starts
# 1.0 body throws
# 1.0 c cleans up
# 1.5 c cleaned up
# 1.5 scope ended: ExceptionGroup
# == two_fail_together
# 0.0 b starts
# 0.0 c starts
# 1.0 b fails
# 1.0 c fails
# 1.0 body cancelled, cancelling() = 1
# 1.0 scope ended: ExceptionGroup
# == cancels_the_runner, in the body
# 0.0 a starts
# 0.0 b starts
# 2.0 cancel the runner
# 2.0 body cancelled
# 2.0 b cleans up
# 2.5 b cleaned up
# 2.5 scope ended: CancelledError
# == cancels_the_runner, while the scope waits
# 0.0 a starts
# 0.0 b starts
# 2.0 cancel the runner
# 2.0 b cleans up
# 2.5 b cleaned up
# 2.5 scope ended: CancelledError
