# Cancelling a task that awaits another task cancels that other task too, at once; the waiter
# sees CancelledError once the awaited task has ended (asyncio's Task.cancel asks _fut_waiter).
# Shown for lesson 05's ex4 ("cancelling a task that awaits another cancels that one").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def target_body():
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} target cancelled")
            raise

    async def waiter_body(target):
        try:
            await target
        except asyncio.CancelledError as error:
            print(f"{loop.time():.1f} waiter got CancelledError{error.args}")
            raise

    target = asyncio.create_task(target_body())
    waiter = asyncio.create_task(waiter_body(target))
    await asyncio.sleep(1)
    print(f"{loop.time():.1f} cancel the waiter: {waiter.cancel('stop')}")
    await asyncio.sleep(0.5)
    print(f"{loop.time():.1f} target cancelled {target.cancelled()}, waiter cancelled {waiter.cancelled()}")


asyncio.run(main())

# expect 3.11:
# 1.0 cancel the waiter: True
# 1.0 target cancelled
# 1.0 waiter got CancelledError('stop',)
# 1.5 target cancelled True, waiter cancelled True
