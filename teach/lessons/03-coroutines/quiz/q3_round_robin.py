from collections import deque


class YieldNow:
    def __await__(self):
        yield


async def worker(name, steps):
    for step in range(steps):
        print(name, step)
        await YieldNow()
    print(name, "finished")


ready = deque([worker("a", 2), worker("b", 3)])
while ready:
    coro = ready.popleft()
    try:
        coro.send(None)
        ready.append(coro)
    except StopIteration:
        pass
