"""asyncio.BoundedSemaphore refuses a release() that would go above its initial value:
ValueError('BoundedSemaphore released too many times'); a plain Semaphore just counts up.
A negative initial value is a ValueError for both. (test_semaphore.cpp)"""
import asyncio


async def main():
    bounded = asyncio.BoundedSemaphore(2)
    async with bounded:
        print(f"inside, locked() = {bounded.locked()}")
    try:
        bounded.release()
    except ValueError as error:
        print(f"release() raised ValueError: {error}")
    plain = asyncio.Semaphore(2)
    plain.release()
    print(f"plain Semaphore(2) after an extra release(): value = {plain._value}")
    try:
        asyncio.Semaphore(-1)
    except ValueError as error:
        print(f"Semaphore(-1) raised ValueError: {error}")


asyncio.run(main())

# expect 3.11:
# inside, locked() = False
# release() raised ValueError: BoundedSemaphore released too many times
# plain Semaphore(2) after an extra release(): value = 3
# Semaphore(-1) raised ValueError: Semaphore initial value must be >= 0
