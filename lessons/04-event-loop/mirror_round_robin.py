"""Lesson 04, demo 2 in Python: sleep(0) hands the loop to the next ready task, round robin.

demo_round_robin.cpp prints the same lines.
Run it with: python3 lessons/04-event-loop/mirror_round_robin.py
"""
import asyncio


# book:round-robin
async def polite(name):
    for step in range(1, 4):
        print(f"{name}: step {step}")
        await asyncio.sleep(0)  # let every other ready task take a step first


async def greedy(name):
    for step in range(1, 4):
        print(f"{name}: step {step}")  # no await: nobody else runs until the loop ends


async def main():
    print("1. three polite tasks")
    tasks = [asyncio.create_task(polite(name)) for name in ("A", "B", "C")]
    for task in tasks:
        await task

    print("2. a greedy task and a polite one")
    tasks = [asyncio.create_task(greedy("G")), asyncio.create_task(polite("P"))]
    for task in tasks:
        await task
# end book:round-robin


asyncio.run(main())
