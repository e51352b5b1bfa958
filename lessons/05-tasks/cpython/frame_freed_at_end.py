# A finished coroutine's frame, with the arguments it holds, is freed when the coroutine ends,
# while the Task object (and its result) lives on. Cited in chapter 05 ("Step 2"), where aio
# differs: its frame goes with the task, a trade-off measured there.
import asyncio


class Witness:
    def __init__(self, clock):
        self.clock = clock

    def __del__(self):
        print(f"{self.clock():.1f} the frame is freed")


async def answer_with_witness(witness):
    await asyncio.sleep(1)
    print(f"{witness.clock():.1f} the job ends")
    return 42


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    clock = lambda: loop.time() - start
    task = asyncio.create_task(answer_with_witness(Witness(clock)))
    await asyncio.sleep(2)
    print(f"{clock():.1f} main reads {task.result()}")


asyncio.run(main())

# expect 3.11:
# 1.0 the job ends
# 1.0 the frame is freed
# 2.0 main reads 42
