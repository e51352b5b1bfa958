"""A shield protects a task from its caller, not from the end of the program: asyncio.run cancels
every task still pending when main returns, a shielded one too.
(chapter 10, "Shutdown must wait for shielded work"; test_shield.cpp: "aio::run cancels a
shielded task still running when main returns")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def save():
    print(at("db: writing"))
    try:
        await asyncio.sleep(2)
    except asyncio.CancelledError:
        print(at("db: write interrupted, rolled back"))
        raise
    print(at("db: committed"))


async def main():
    write = asyncio.create_task(save())
    try:
        async with asyncio.timeout(0.5):
            await asyncio.shield(write)
    except TimeoutError:
        print(at("main: stopped waiting, returns"))


asyncio.run(main())

# expect 3.11:
# 0.0 db: writing
# 0.5 main: stopped waiting, returns
# 0.5 db: write interrupted, rolled back
