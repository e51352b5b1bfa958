import asyncio
import threading


def wait_for_bell(bell, where):
    rang = bell.wait(timeout=1.0)  # a blocking call: at most one second
    print(where, "heard the bell:", rang)


async def ring(bell):
    for tick in range(3):
        print("tick", tick)
        await asyncio.sleep(0)
    bell.set()


async def main():
    bell = threading.Event()
    ringer = asyncio.create_task(ring(bell))
    wait_for_bell(bell, "on the loop:")
    await ringer

    bell = threading.Event()
    ringer = asyncio.create_task(ring(bell))
    await asyncio.to_thread(wait_for_bell, bell, "in a thread:")
    await ringer


asyncio.run(main())
