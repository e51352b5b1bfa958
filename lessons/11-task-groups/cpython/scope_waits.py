"""The scope of a task group ends only when every child has: the body's end does not end it, a
child may add a task while the scope waits, a child that ends cancelled is not a failure, and a
group whose scope has ended takes no new task. (Its repr still says "entered" then; aio's
describe() says "finished".)
(test_task_group.cpp, l11.ex2: the programs with the same names)"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def job(name, delay):
    print(at(f"{name} starts"))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at(f"{name} cancelled"))
        raise
    print(at(f"{name} done"))


async def three_jobs():
    async with asyncio.TaskGroup() as group:
        group.create_task(job("a", 1))
        group.create_task(job("b", 3))
        group.create_task(job("c", 2))
        print(at("body ends"))
    print(at("scope ended"))


async def body_outlasts_children():
    async with asyncio.TaskGroup() as group:
        group.create_task(job("a", 1))
        group.create_task(job("b", 2))
        await asyncio.sleep(5)
        print(at(f"body ends, {len(group._tasks)} children left"))
    print(at("scope ended"))


async def adds_a_grandchild(group):
    print(at("child starts"))
    await asyncio.sleep(1)
    group.create_task(job("grandchild", 2))
    print(at("child added a grandchild"))


async def child_adds_task():
    async with asyncio.TaskGroup() as group:
        group.create_task(adds_a_grandchild(group))
    print(at("scope ended"))


async def cancels_one_child():
    async with asyncio.TaskGroup() as group:
        a = group.create_task(job("a", 5))
        group.create_task(job("b", 2))
        await asyncio.sleep(1)
        a.cancel()
    print(at("scope ended"))


async def adds_after_the_end():
    async with asyncio.TaskGroup() as group:
        group.create_task(job("a", 1))
    late = job("late", 1)
    try:
        group.create_task(late)
        print(at("late task added"))
    except RuntimeError as error:
        late.close()  # never run (3.12 and later close it themselves)
        print(at(f"create_task: {error}"))
    await asyncio.sleep(2)  # time for a late task to run, if one had been created


for program in (three_jobs, body_outlasts_children, child_adds_task, cancels_one_child, adds_after_the_end):
    print(f"== {program.__name__}")
    asyncio.run(program())

# expect 3.11:
# == three_jobs
# 0.0 body ends
# 0.0 a starts
# 0.0 b starts
# 0.0 c starts
# 1.0 a done
# 2.0 c done
# 3.0 b done
# 3.0 scope ended
# == body_outlasts_children
# 0.0 a starts
# 0.0 b starts
# 1.0 a done
# 2.0 b done
# 5.0 body ends, 0 children left
# 5.0 scope ended
# == child_adds_task
# 0.0 child starts
# 1.0 child added a grandchild
# 1.0 grandchild starts
# 3.0 grandchild done
# 3.0 scope ended
# == cancels_one_child
# 0.0 a starts
# 0.0 b starts
# 1.0 a cancelled
# 2.0 b done
# 2.0 scope ended
# == adds_after_the_end
# 0.0 a starts
# 1.0 a done
# 1.0 create_task: TaskGroup <TaskGroup entered> is finished
