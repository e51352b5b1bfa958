"""What wait() and as_completed() accept. wait() takes tasks (and futures) of any result types
mixed, and refuses coroutines: since Python 3.11 it raises TypeError (3.8 to 3.10 only warned).
as_completed() still wraps coroutines in tasks itself, and gives the results in finishing order.
(test_wait.cpp: "wait takes tasks of different result types together";
test_as_completed.cpp: "as_completed wraps coroutines in tasks")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def count_rows(seconds):
    await asyncio.sleep(seconds)
    return 42


async def read_name(seconds):
    await asyncio.sleep(seconds)
    return "orders"


async def after(seconds, value):
    await asyncio.sleep(seconds)
    return value


async def main():
    rows = asyncio.create_task(count_rows(2))
    name = asyncio.create_task(read_name(1))
    done, pending = await asyncio.wait([rows, name], return_when=asyncio.FIRST_COMPLETED)
    print(at(f"first: done {[t is name for t in done]}, pending {[t is rows for t in pending]}, "
             f"name = {name.result()}"))
    done, pending = await asyncio.wait([rows, name])
    print(at(f"all: {len(done)} done, {len(pending)} pending, rows = {rows.result()}"))

    coroutine = count_rows(1)
    try:
        await asyncio.wait([coroutine])
    except TypeError as error:
        print(f"wait([coroutine]): TypeError: {error}")
    coroutine.close()

    for next_one in asyncio.as_completed([after(2, 2), after(1, 1), after(3, 3)]):
        print(at(f"as_completed gives {await next_one}"))


asyncio.run(main())

# expect 3.11:
# 1.0 first: done [True], pending [True], name = orders
# 2.0 all: 2 done, 0 pending, rows = 42
# wait([coroutine]): TypeError: Passing coroutines is forbidden, use tasks explicitly.
# 3.0 as_completed gives 1
# 4.0 as_completed gives 2
# 5.0 as_completed gives 3
