"""asyncio.PriorityQueue keeps a heapq heap, which promises no order among items of equal
priority: here six jobs of priority 1 come out in an order that is not the order they were put
in. aio's PriorityQueue gives equal items first in, first out.
(test_queue_kinds.cpp: "equal priorities come out in the order they were put")"""
import asyncio


class Job:
    def __init__(self, priority, number):
        self.priority, self.number = priority, number

    def __lt__(self, other):
        return self.priority < other.priority


async def main():
    queue = asyncio.PriorityQueue()
    for number, priority in enumerate([1, 1, 1, 1, 0, 1, 1]):
        queue.put_nowait(Job(priority, number))
    order = [queue.get_nowait() for _ in range(queue.qsize())]
    print(" ".join(f"{job.priority}:{job.number}" for job in order))


asyncio.run(main())

# expect 3.11:
# 0:4 1:2 1:5 1:6 1:1 1:0 1:3
