"""uncancel() of a request that has not been delivered yet. In 3.11 and 3.12 uncancel() only
counts: the request still stands, and a task cancelled before it started, then uncancelled, ends
cancelled without running. From 3.13 on, uncancel() that brings the count to 0 also takes the
pending request back, and the task runs. aio follows 3.11.
(test_cancellation.cpp: "every cancel() counts: cancelling() goes up per request, uncancel() ...")"""
import asyncio


async def answer():
    print("answer runs")
    return 42


async def main():
    task = asyncio.create_task(answer())
    print(f"cancel: {task.cancel('first')}, {task.cancel('second')}, cancelling() = {task.cancelling()}")
    print(f"uncancel: {task.uncancel()}, {task.uncancel()}, {task.uncancel()}")
    try:
        print(f"result {await task}")
    except asyncio.CancelledError:
        print(f"cancelled() = {task.cancelled()}")


asyncio.run(main())

# expect 3.11:
# cancel: True, True, cancelling() = 2
# uncancel: 1, 0, 0
# cancelled() = True
# expect 3.13:
# cancel: True, True, cancelling() = 2
# uncancel: 1, 0, 0
# answer runs
# result 42
